/**
 * Settings every workflow Lambda shares. The six task functions live in the `workflow` nested
 * stack next to the state machine that calls them; the status publisher lives with `data`.
 * Grouping this way avoids the cross-stack reference cycle between functions, tables, data and
 * the workflow (amplify-backend #2446, #1850).
 */
export const WORKFLOW_FUNCTION_DEFAULTS = {
  resourceGroupName: 'workflow',
  runtime: 22,
  timeoutSeconds: 30,
  memoryMB: 256,
} as const;
