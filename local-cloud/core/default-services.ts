import { loadAmplifyStateMachines } from '../stepfunctions/machines';
import { stepFunctionsService } from '../stepfunctions/service';
import type { ServiceContext } from './service';
import type { ServiceFactory } from './start';

/**
 * Environment the workflow handlers get in-process, with the names the backend contract lists.
 * Values already set in the shell win, so a developer can point a handler elsewhere. The SDK
 * clients inside handlers use default config, so AWS_ENDPOINT_URL sends them back to us.
 */
export function localFunctionEnv(ctx: ServiceContext): Record<string, string> {
  const defaults: Record<string, string> = {
    AWS_REGION: ctx.region,
    AWS_ENDPOINT_URL: ctx.baseUrl,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    ORDERS_TABLE_NAME: 'Orders',
    INVENTORY_TABLE_NAME: 'Inventory',
    IDEMPOTENCY_TABLE_NAME: 'Idempotency',
    STATUS_PUBLISHER_FUNCTION_NAME: 'status-publisher',
  };
  return Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [name, process.env[name] ?? value]),
  );
}

/**
 * The services `local-cloud/main.ts` starts. `LOCAL_CLOUD_ASL_DIR` / `LOCAL_CLOUD_FUNCTIONS_DIR`
 * point the Step Functions stand-in at other workflows (the crash test uses fixtures).
 */
export function defaultServices(): ServiceFactory[] {
  return [
    stepFunctionsService(async (ctx) => ({
      stateMachines: await loadAmplifyStateMachines({
        aslDir: process.env.LOCAL_CLOUD_ASL_DIR,
        functionsDir: process.env.LOCAL_CLOUD_FUNCTIONS_DIR,
        region: ctx.region,
      }),
      functionEnv: localFunctionEnv(ctx),
    })),
  ];
}
