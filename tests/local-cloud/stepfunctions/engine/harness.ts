/**
 * A local cloud serving state machines and inline Lambda handlers described in the test itself,
 * as a backend (the mechanism `startFixtureCloud` uses for the fixture files), on a manual clock.
 */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { staticBackend, type LocalCloud } from '../../../../local-cloud';
import type { LocalBackend } from '../../../../local-cloud/backend/model';
import { createManualClock, type ManualClock } from '../../../../local-cloud/core/clock';
import type { LambdaHandler } from '../../../../local-cloud/lambda/types';
import { localFunctionArn } from '../../../../local-cloud/lambda/naming';
import { startTestCloud } from '../../../support/local-cloud';
import { history, machineArn, REGION, sfnClient, waitFor, waitForStatus } from '../../helpers';

export const functionArn = (name: string) => localFunctionArn(REGION, name);

export interface EngineCloud {
  cloud: LocalCloud;
  client: SFNClient;
  clock: ManualClock;
  /** Starts `machine` and returns the execution ARN. */
  start(machine: string, input?: unknown, name?: string): Promise<string>;
  /** Starts `machine` and waits for it to end. */
  run(machine: string, input?: unknown): Promise<Awaited<ReturnType<typeof waitForStatus>>>;
  types(executionArn: string): Promise<string[]>;
  /** Waits until the engine has armed a timer due `ms` from now on the manual clock. */
  timerDueIn(ms: number): Promise<void>;
}

export async function startEngineCloud(options: {
  machines: Record<string, object>;
  handlers?: Record<string, LambdaHandler>;
}): Promise<EngineCloud> {
  const backend: LocalBackend = {
    tables: [],
    functions: Object.entries(options.handlers ?? {}).map(([name, handler]) => ({
      name,
      environment: {},
      unresolvedEnvironment: {},
      timeoutSeconds: 60,
      code: { inline: handler },
    })),
    stateMachines: Object.entries(options.machines).map(([name, definition]) => ({
      name,
      arn: machineArn(name),
      type: 'STANDARD',
      definitionString: JSON.stringify(definition),
      substitutionKeys: [],
      substitutions: {},
    })),
  };
  const clock = createManualClock();
  const cloud = await startTestCloud({ backend: staticBackend(backend), clock });
  const client = sfnClient(cloud.url);
  const start = async (machine: string, input: unknown = {}, name?: string) => {
    const started = await client.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn(machine),
        input: JSON.stringify(input),
        ...(name ? { name } : {}),
      }),
    );
    return started.executionArn!;
  };
  return {
    cloud,
    client,
    clock,
    start,
    run: async (machine, input) => waitForStatus(client, await start(machine, input)),
    types: async (arn) => (await history(client, arn)).map((e) => e.type!),
    timerDueIn: async (ms) => {
      const dueAt = clock.now() + ms;
      await waitFor(() => (clock.pendingTimers().includes(dueAt) ? true : undefined));
    },
  };
}

export async function statusOf(client: SFNClient, executionArn: string) {
  return client.send(new DescribeExecutionCommand({ executionArn }));
}

/** The newest event of an execution, and so its history length (ids run 1..n). */
export async function lastEvent(client: SFNClient, executionArn: string) {
  const page = await client.send(
    new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }),
  );
  return page.events![0]!;
}
