/**
 * The naming rule of the workflow contract (§2): a function `reserve-inventory` appears in the
 * ASL only as `${ReserveInventoryFunctionArn}`. The local cloud applies the same rule.
 */
export const WORKFLOW_TASK_FUNCTIONS = [
  'reserve-inventory',
  'charge-payment',
  'await-warehouse',
  'ship-order',
  'refund-payment',
  'release-inventory',
] as const;
export type WorkflowTaskFunction = (typeof WORKFLOW_TASK_FUNCTIONS)[number];

export function functionArnPlaceholder(kebabName: string): string {
  const pascal = kebabName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `${pascal}FunctionArn`;
}

/** Every `${Name}` placeholder in an ASL text, in order of first appearance. */
export function placeholdersIn(definition: string): string[] {
  return [...new Set([...definition.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] ?? ''))];
}
