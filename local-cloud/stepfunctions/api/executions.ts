import { AwsError } from '../../core/protocols/errors';
import type { OperationTable } from '../../core/protocols/operations';
import type { LoadedStateMachine, StateMachineRegistry } from '../definitions/registry';
import type { ExecutionRecord, ExecutionStatus, ExecutionStore } from '../store';
import {
  decodePageToken,
  encodePageToken,
  CAUSE_MAX,
  ERROR_MAX,
  historyEventToWire,
  isOffset,
  optionalBoundedString,
  optionalString,
  pageSize,
  requireExecutionArn,
  requireStateMachineArn,
  toEpochSeconds,
} from '../wire';
import { redriveStatusOf } from './redrive-rules';

/**
 * StartExecution, DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution,
 * RedriveExecution and DescribeStateMachineForExecution.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
 */
export interface ExecutionsHost {
  store: ExecutionStore;
  registry: StateMachineRegistry;
  now(): number;
  startExecution(
    stateMachineArn: string,
    input?: string,
    name?: string,
  ): { executionArn: string; startDate: number };
  stopExecution(record: ExecutionRecord, error?: string, cause?: string): void;
  redriveExecution(record: ExecutionRecord): { redriveDate: number };
  /** The revision an execution runs, or the machine's current one for rows older than revisions. */
  machineOf(record: ExecutionRecord): LoadedStateMachine | undefined;
}

const STATUSES: readonly ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
];

export function executionOperations(host: ExecutionsHost): OperationTable {
  const { store, registry } = host;
  const execution = (arn: string): ExecutionRecord => {
    const record = store.getExecution(arn);
    if (!record) throw new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  };
  const machineExists = (arn: string) => {
    if (!registry.get(arn)) {
      throw new AwsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    }
  };

  return {
    StartExecution: {
      required: ['stateMachineArn'],
      handler: (input) =>
        host.startExecution(
          requireStateMachineArn(input),
          optionalString(input, 'input') ?? '{}',
          optionalString(input, 'name'),
        ),
    },
    DescribeExecution: {
      required: ['executionArn'],
      handler: (input) => {
        const e = execution(requireExecutionArn(input));
        const redrive = redriveStatusOf(e, { now: host.now(), store, registry });
        return {
          executionArn: e.arn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          startDate: toEpochSeconds(e.startDate),
          ...(e.stopDate !== null ? { stopDate: toEpochSeconds(e.stopDate) } : {}),
          input: e.input,
          inputDetails: { included: true },
          ...(e.output !== null ? { output: e.output, outputDetails: { included: true } } : {}),
          ...(e.error !== null ? { error: e.error } : {}),
          ...(e.cause !== null ? { cause: e.cause } : {}),
          redriveCount: e.redriveCount,
          ...(e.redriveDate !== null ? { redriveDate: toEpochSeconds(e.redriveDate) } : {}),
          redriveStatus: redrive.status,
          ...(redrive.reason ? { redriveStatusReason: redrive.reason } : {}),
        };
      },
    },
    ListExecutions: (input) => {
      const machineArn = requireStateMachineArn(input);
      machineExists(machineArn);
      const status = (optionalString(input, 'statusFilter') ?? null) as ExecutionStatus | null;
      if (status && !STATUSES.includes(status)) {
        throw new AwsError('ValidationException', `Invalid statusFilter '${status}'`);
      }
      const redriven = optionalString(input, 'redriveFilter') ?? null;
      if (redriven !== null && redriven !== 'REDRIVEN' && redriven !== 'NOT_REDRIVEN') {
        throw new AwsError(
          'ValidationException',
          `1 validation error detected: Value '${redriven}' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]`,
        );
      }
      const limit = pageSize(input);
      const page = decodePageToken<{ m: string; s: string | null; r: string | null; o: number }>(
        optionalString(input, 'nextToken'),
        (p) => p.m === machineArn && p.s === status && p.r === redriven && isOffset(p.o),
      );
      const offset = page?.o ?? 0;
      const filter = { status, redriven: redriven === null ? null : redriven === 'REDRIVEN' };
      const rows = store.listExecutions(machineArn, filter, offset, limit + 1);
      return {
        executions: rows.slice(0, limit).map((r) => ({
          executionArn: r.arn,
          stateMachineArn: r.stateMachineArn,
          name: r.name,
          status: r.status,
          startDate: toEpochSeconds(r.startDate),
          ...(r.stopDate !== null ? { stopDate: toEpochSeconds(r.stopDate) } : {}),
          ...(r.redriveCount > 0 ? { redriveCount: r.redriveCount } : {}),
          ...(r.redriveDate !== null ? { redriveDate: toEpochSeconds(r.redriveDate) } : {}),
        })),
        ...(rows.length > limit
          ? {
              nextToken: encodePageToken({
                m: machineArn,
                s: status,
                r: redriven,
                o: offset + limit,
              }),
            }
          : {}),
      };
    },
    GetExecutionHistory: {
      required: ['executionArn'],
      handler: (input) => {
        const arn = requireExecutionArn(input);
        execution(arn);
        const limit = pageSize(input);
        const reverse = input.reverseOrder === true;
        const includeData = input.includeExecutionData !== false;
        const page = decodePageToken<{ e: string; r: boolean; c: number }>(
          optionalString(input, 'nextToken'),
          (p) => p.e === arn && p.r === reverse && Number.isInteger(p.c),
        );
        const events = store.history(arn, page?.c, reverse, limit + 1);
        const shown = events.slice(0, limit);
        const last = shown[shown.length - 1];
        return {
          events: shown.map((event) => historyEventToWire(event, includeData)),
          ...(events.length > limit && last
            ? { nextToken: encodePageToken({ e: arn, r: reverse, c: last.id }) }
            : {}),
        };
      },
    },
    StopExecution: {
      required: ['executionArn'],
      handler: (input) => {
        const arn = requireExecutionArn(input);
        const record = execution(arn);
        if (record.status === 'RUNNING') {
          host.stopExecution(
            record,
            optionalBoundedString(input, 'error', ERROR_MAX),
            optionalBoundedString(input, 'cause', CAUSE_MAX),
          );
        }
        // Stopping a closed execution is a no-op that reports when it stopped.
        const stopped = execution(arn);
        return { stopDate: toEpochSeconds(stopped.stopDate ?? host.now()) };
      },
    },
    RedriveExecution: {
      required: ['executionArn'],
      handler: (input) => {
        const record = execution(requireExecutionArn(input));
        return { redriveDate: toEpochSeconds(host.redriveExecution(record).redriveDate) };
      },
    },
    DescribeStateMachineForExecution: {
      required: ['executionArn'],
      handler: (input) => {
        const e = execution(requireExecutionArn(input));
        const m = host.machineOf(e);
        if (!m) {
          throw new AwsError(
            'StateMachineDoesNotExist',
            `State Machine Does Not Exist: '${e.stateMachineArn}'`,
          );
        }
        const record = registry.get(m.arn);
        return {
          stateMachineArn: m.arn,
          name: m.name,
          definition: m.definitionText,
          roleArn: m.roleArn,
          updateDate: toEpochSeconds(m.revisionDate),
          revisionId: m.revisionId,
          ...(record
            ? {
                loggingConfiguration: record.loggingConfiguration,
                tracingConfiguration: record.tracingConfiguration,
              }
            : {}),
        };
      },
    },
  };
}
