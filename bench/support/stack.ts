import { DEMO_ACCOUNTS } from '../../scripts/demo-seed';
import type { BenchContext } from '../phases/context';
import { configureAmplifyForNode, signInForIdToken } from './amplify-node';
import { benchShopper } from './cloud-messages';
import { startCloudChild, startNextServer, stopChild, type IntakeOptions } from './processes';

/**
 * The local cloud and `next start` as child processes, shoppers and a Warehouse staff member
 * signed in through aws-amplify (SRP). `workflow: 'noop'` runs the workflow with handlers that
 * do nothing, to see the submit path without the workflows' load on the same local cloud.
 */
export async function startStack(
  options: {
    shoppers: number;
    workflow: 'real' | 'noop' | 'inline';
  } & IntakeOptions,
) {
  const cloud = await startCloudChild(options.shoppers, options.workflow, options);
  try {
    const next = await startNextServer(cloud);
    const stop = async () => {
      await stopChild(next.process);
      await stopChild(cloud.process);
    };
    try {
      configureAmplifyForNode(cloud.outputsPath);
      const shopperTokens: string[] = [];
      for (let i = 0; i < options.shoppers; i += 1)
        shopperTokens.push(await signInForIdToken(benchShopper(i)));
      // Signed in last: subscriptions run as this account.
      const staffToken = await signInForIdToken(DEMO_ACCOUNTS.warehouse);
      const ctx: BenchContext = {
        appUrl: next.url,
        appPid: next.process.pid,
        cloud,
        shopperTokens,
        staffToken,
      };
      return { ctx, stop };
    } catch (error) {
      await stop();
      throw error;
    }
  } catch (error) {
    await stopChild(cloud.process);
    throw error;
  }
}
