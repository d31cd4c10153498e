/**
 * How the storefront hands an accepted order to the workflow (the pattern's figures 24 and 25):
 * - `queue` (default): the order is written as QUEUED and sent to the intake queue; a worker
 *   starts its execution as capacity allows. A burst is absorbed by the queue, not the shopper.
 * - `direct`: the API calls StartExecution itself, one hop less when the system is idle.
 * Backend configuration, not an app setting: `ORDER_INTAKE_MODE=direct npx ampx sandbox`. The
 * intake stack is deployed in both modes, so switching never strands messages still queued.
 */
export const INTAKE_MODES = ['queue', 'direct'] as const;
export type IntakeMode = (typeof INTAKE_MODES)[number];

export function intakeModeFrom(env: Record<string, string | undefined> = process.env): IntakeMode {
  const value = env.ORDER_INTAKE_MODE?.trim() || 'queue';
  if (!(INTAKE_MODES as readonly string[]).includes(value)) {
    throw new Error(`ORDER_INTAKE_MODE must be one of ${INTAKE_MODES.join(', ')} (got "${value}")`);
  }
  return value as IntakeMode;
}
