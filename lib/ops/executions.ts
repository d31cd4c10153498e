import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StopExecutionCommand,
  type ExecutionStatus,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { executionArnFor } from '@/amplify/functions/shared/start-execution';
import { isOrderId } from '@/amplify/functions/shared/order-id';
import { sfn } from '@/lib/aws/clients';
import { loadOutputs } from '@/lib/config/outputs';
import { recordOperatorAction, type Operator } from './audit';
import { redactEvent, redactValue } from './redact';
import { foldHistory, type ExecutionProgress } from './state-progress';
import { workflowGraph, type WorkflowGraph } from './workflow-graph';

/**
 * The order workflow's executions as the operations console sees them, read with the same
 * Step Functions calls in AWS and offline. Execution names are order ids (the intake names
 * them so), which is how an execution leads to its order and back.
 */
export const EXECUTION_STATUSES = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
] as const satisfies readonly ExecutionStatus[];

export interface ExecutionRow {
  executionArn: string;
  /** The execution's name: the order id. */
  orderId: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  redriveCount: number;
}

export interface ExecutionPage {
  executions: ExecutionRow[];
  nextToken?: string;
}

export interface ExecutionQuery {
  status?: ExecutionStatus;
  /** Find one order's execution (its name) instead of listing. */
  orderId?: string;
  nextToken?: string;
  limit?: number;
}

const machineArn = () => loadOutputs().custom.orderWorkflowArn;

/** This machine's executions only: another machine's ARN is as unknown here as a typo. */
export function isOrderExecutionArn(arn: string): boolean {
  const prefix = executionArnFor(machineArn(), '');
  return arn.startsWith(prefix) && isOrderId(arn.slice(prefix.length));
}

export function executionArnOf(orderId: string): string {
  return executionArnFor(machineArn(), orderId);
}

export async function listExecutions(query: ExecutionQuery): Promise<ExecutionPage> {
  if (query.orderId !== undefined) {
    if (!isOrderId(query.orderId)) return { executions: [] };
    const found = await describe(executionArnOf(query.orderId));
    return { executions: found && matches(found, query.status) ? [found] : [] };
  }
  const page = await sfn().send(
    new ListExecutionsCommand({
      stateMachineArn: machineArn(),
      statusFilter: query.status,
      maxResults: query.limit ?? 25,
      nextToken: query.nextToken,
    }),
  );
  return {
    executions: (page.executions ?? []).map(rowOf),
    nextToken: page.nextToken,
  };
}

/** A ListExecutions item or a DescribeExecution answer, as a row. */
function rowOf(e: {
  executionArn?: string;
  name?: string;
  status?: ExecutionStatus;
  startDate?: Date;
  stopDate?: Date;
  redriveCount?: number;
}): ExecutionRow {
  return {
    executionArn: e.executionArn!,
    orderId: e.name!,
    status: e.status!,
    startDate: e.startDate!.toISOString(),
    stopDate: e.stopDate?.toISOString(),
    redriveCount: e.redriveCount ?? 0,
  };
}

const matches = (row: ExecutionRow, status?: ExecutionStatus) => !status || row.status === status;

async function describe(executionArn: string): Promise<ExecutionRow | undefined> {
  try {
    return rowOf(await sfn().send(new DescribeExecutionCommand({ executionArn })));
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
}

export interface ExecutionDetail extends ExecutionRow {
  redriveStatus?: string;
  redriveStatusReason?: string;
  error?: string;
  cause?: string;
  input?: unknown;
  output?: unknown;
  /** The state machine's ASL, and its graph laid out for drawing. */
  definition: unknown;
  graph: WorkflowGraph;
  progress: ExecutionProgress;
  /** Oldest first, payloads redacted. */
  history: HistoryEvent[];
}

/** One execution with its definition and its whole (redacted) history; undefined if unknown. */
export async function executionDetail(executionArn: string): Promise<ExecutionDetail | undefined> {
  if (!isOrderExecutionArn(executionArn)) return undefined;
  let described;
  try {
    described = await sfn().send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
  const [machine, history] = await Promise.all([
    sfn().send(new DescribeStateMachineCommand({ stateMachineArn: machineArn() })),
    readHistory(executionArn),
  ]);
  return {
    ...rowOf(described),
    redriveStatus: described.redriveStatus,
    redriveStatusReason: described.redriveStatusReason,
    error: described.error,
    cause: described.cause ? String(redactValue(described.cause)) : undefined,
    input: parseJson(described.input),
    output: parseJson(described.output),
    definition: JSON.parse(machine.definition!),
    graph: workflowGraph(machine.definition!),
    progress: foldHistory(history),
    history: history.map(redactEvent),
  };
}

/** Every page of the history, oldest first (an order's history is well under a thousand events). */
async function readHistory(executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn().send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return redactValue(JSON.parse(text));
  } catch {
    return redactValue(text);
  }
}

export type ActionResult =
  | { kind: 'done'; at: string }
  | { kind: 'not-found' }
  /** The execution is not in a state the action applies to (already running, already closed). */
  | { kind: 'conflict'; detail: string };

/**
 * Redrives a failed, timed-out or stopped execution from where it stopped (the original input;
 * `redriveCount` goes up). A second click meets a running execution and is refused with what
 * Step Functions says, so an execution is never redriven twice for one failure.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html
 */
export async function redriveExecution(
  executionArn: string,
  operator: Operator,
): Promise<ActionResult> {
  if (!isOrderExecutionArn(executionArn)) return { kind: 'not-found' };
  try {
    const { redriveDate } = await sfn().send(new RedriveExecutionCommand({ executionArn }));
    const at = (redriveDate ?? new Date()).toISOString();
    await recordOperatorAction(orderIdOf(executionArn), { action: 'redrive', operator, at });
    return { kind: 'done', at };
  } catch (error) {
    return refusal(error);
  }
}

/** Stops a running execution; the cause (with who stopped it) is kept in its history. */
export async function stopExecution(
  executionArn: string,
  operator: Operator,
  cause: string,
): Promise<ActionResult> {
  if (!isOrderExecutionArn(executionArn)) return { kind: 'not-found' };
  const current = await describe(executionArn);
  if (!current) return { kind: 'not-found' };
  if (current.status !== 'RUNNING') {
    return { kind: 'conflict', detail: `The execution is ${current.status}, not running.` };
  }
  try {
    const { stopDate } = await sfn().send(
      new StopExecutionCommand({
        executionArn,
        error: 'OperatorStopped',
        cause: `Stopped by ${operator.email ?? operator.sub}: ${cause}`,
      }),
    );
    const at = (stopDate ?? new Date()).toISOString();
    await recordOperatorAction(orderIdOf(executionArn), { action: 'stop', operator, at, cause });
    return { kind: 'done', at };
  } catch (error) {
    return refusal(error);
  }
}

function orderIdOf(executionArn: string): string {
  return executionArn.slice(executionArnFor(machineArn(), '').length);
}

function refusal(error: unknown): ActionResult {
  const name = (error as Error).name;
  if (name === 'ExecutionDoesNotExist') return { kind: 'not-found' };
  if (name === 'ExecutionNotRedrivable' || name === 'ExecutionLimitExceeded') {
    return { kind: 'conflict', detail: (error as Error).message };
  }
  throw error;
}
