/**
 * Every function runs on the newest Node.js runtime Lambda offers (and aws-cdk-lib knows):
 * cdk-nag's AwsSolutions-L1 flags anything older, and a newer runtime stays in support longest.
 * The local cloud runs handlers on the host's Node whatever this says.
 */
export const LAMBDA_NODE_RUNTIME = 24;

/**
 * Settings every workflow Lambda shares. The six task functions live in the `workflow` nested
 * stack next to the state machine that calls them; the status publisher lives with `data`.
 * Grouping this way avoids the cross-stack reference cycle between functions, tables, data and
 * the workflow (amplify-backend #2446, #1850).
 */
export const WORKFLOW_FUNCTION_DEFAULTS = {
  resourceGroupName: 'workflow',
  runtime: LAMBDA_NODE_RUNTIME,
  timeoutSeconds: 30,
  memoryMB: 256,
} as const;

/**
 * The intake worker and the reconciler: their own nested stack (`intake`) with the queue, which
 * references the workflow, data and tables stacks and is referenced by none of them.
 */
export const INTAKE_FUNCTION_DEFAULTS = {
  resourceGroupName: 'intake',
  runtime: WORKFLOW_FUNCTION_DEFAULTS.runtime,
  memoryMB: 256,
} as const;

/** A batch of up to ten orders: a status write, a StartExecution and an update each. */
export const INTAKE_WORKER_TIMEOUT_SECONDS = 30;
