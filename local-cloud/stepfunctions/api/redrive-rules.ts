import type { StateMachineRegistry } from '../definitions/registry';
import type { ExecutionRecord, ExecutionStore } from '../store';

export type RedriveStatus = 'REDRIVABLE' | 'NOT_REDRIVABLE';

/** AWS lets an execution be redriven for 14 days after it stopped. */
export const REDRIVABLE_PERIOD_MS = 14 * 24 * 3600 * 1000;
/** A redrive needs room for at least its own event in the 25,000-event history. */
export const MAX_HISTORY_EVENTS_FOR_REDRIVE = 24_999;

/** Where the verdict's facts come from: the history's length, the machine's status, the time. */
export interface RedriveContext {
  now: number;
  store: Pick<ExecutionStore, 'lastEventId'>;
  registry: Pick<StateMachineRegistry, 'get'>;
}

/**
 * `redriveStatus` and `redriveStatusReason` of DescribeExecution, with AWS's reason texts:
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 * Executions recorded before this data dir knew revisions (no `revisionId`) have no definition
 * to redrive against: AWS's own wording for that case fits.
 */
export function redriveStatusOf(
  record: ExecutionRecord,
  { now, store, registry }: RedriveContext,
): { status: RedriveStatus; reason?: string } {
  const no = (reason: string) => ({ status: 'NOT_REDRIVABLE' as const, reason });
  // Being deleted or gone: nothing to redrive against in either case.
  if (registry.get(record.stateMachineArn)?.status !== 'ACTIVE') {
    return no('State machine is in DELETING status.');
  }
  if (record.status === 'RUNNING') return no('Execution is RUNNING and cannot be redriven.');
  if (record.status === 'SUCCEEDED') return no('Execution is SUCCEEDED and cannot be redriven.');
  if (record.revisionId === null) {
    return no('Execution was started before the launch of RedriveExecution.');
  }
  if (store.lastEventId(record.arn) >= MAX_HISTORY_EVENTS_FOR_REDRIVE) {
    return no('Execution history event limit exceeded.');
  }
  if (record.stopDate !== null && now - record.stopDate > REDRIVABLE_PERIOD_MS) {
    return no('Execution redrivable period exceeded.');
  }
  return { status: 'REDRIVABLE' };
}
