/**
 * The one place that names the environment variables handlers read (workflow contract §3).
 * The CDK construct sets them on each Lambda; the local cloud sets the same names in-process.
 */
export const ENV = {
  ordersTableName: 'ORDERS_TABLE_NAME',
  inventoryTableName: 'INVENTORY_TABLE_NAME',
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  statusPublisherFunctionName: 'STATUS_PUBLISHER_FUNCTION_NAME',
  appsyncGraphqlUrl: 'APPSYNC_GRAPHQL_URL',
  orderWorkflowArn: 'ORDER_WORKFLOW_ARN',
  intakeQueueUrl: 'ORDER_INTAKE_QUEUE_URL',
  region: 'AWS_REGION',
} as const;

/**
 * Amplify Gen 2 injects the data endpoint under this name into functions that were granted
 * access with `allow.resource(fn)`; `APPSYNC_GRAPHQL_URL` wins when both are set.
 */
export const AMPLIFY_DATA_ENDPOINT_ENV = 'AMPLIFY_DATA_GRAPHQL_ENDPOINT';

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** Reads a required variable; a missing one is a deployment bug, so fail loudly. */
export function requireEnv(name: EnvName | typeof AMPLIFY_DATA_ENDPOINT_ENV): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

export function optionalEnv(name: EnvName | typeof AMPLIFY_DATA_ENDPOINT_ENV): string | undefined {
  return process.env[name] || undefined;
}
