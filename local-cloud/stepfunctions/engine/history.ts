/**
 * Every history event the interpreter writes, one builder per event type, with the details
 * shapes of `HistoryEvent` in the API reference:
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 * Builders return the event without `id`, `previousEventId` and `timestamp`; `ExecutionRun`
 * stamps those when it appends the event.
 */
import { STATE_EVENT_PREFIX, type State } from '../language/asl';

export interface NewHistoryEvent {
  type: string;
  [details: string]: unknown;
}

/** `HistoryEventExecutionDataDetails`: payloads are never truncated locally. */
const NOT_TRUNCATED = { truncated: false } as const;

export interface ErrorDetails {
  error?: string;
  cause?: string;
}

/** The `resourceType` / `resource` pair of every Task* event (e.g. `lambda` / `invoke`). */
export interface TaskResourceDetails {
  resourceType: string;
  resource: string;
}

export interface TaskTiming {
  timeoutInSeconds?: number;
  heartbeatInSeconds?: number;
}

/**
 * Error and cause as AWS shows them: absent, not empty, when nobody gave one (SendTaskFailure
 * without `error`/`cause`, a Fail state without `Cause`).
 */
const given = ({ error, cause }: ErrorDetails): ErrorDetails => ({
  ...(error ? { error } : {}),
  ...(cause ? { cause } : {}),
});

const event = (type: string, key?: string, details?: object): NewHistoryEvent =>
  key === undefined ? { type } : { type, [key]: details };

// Execution

export const executionStarted = (input: string, roleArn: string) =>
  event('ExecutionStarted', 'executionStartedEventDetails', {
    input,
    inputDetails: NOT_TRUNCATED,
    roleArn,
  });

export const executionSucceeded = (output: string) =>
  event('ExecutionSucceeded', 'executionSucceededEventDetails', {
    output,
    outputDetails: NOT_TRUNCATED,
  });

export const executionRedriven = (redriveCount: number) =>
  event('ExecutionRedriven', 'executionRedrivenEventDetails', { redriveCount });

export const executionFailed = (details: ErrorDetails) =>
  event('ExecutionFailed', 'executionFailedEventDetails', given(details));

export const executionAborted = (details: ErrorDetails) =>
  event('ExecutionAborted', 'executionAbortedEventDetails', given(details));

export const executionTimedOut = (details: ErrorDetails) =>
  event('ExecutionTimedOut', 'executionTimedOutEventDetails', details);

// States (`PassStateEntered`, `MapStateExited`, ...)

export const stateEntered = (type: State['Type'], name: string, input: string) =>
  event(`${STATE_EVENT_PREFIX[type]}Entered`, 'stateEnteredEventDetails', {
    name,
    input,
    inputDetails: NOT_TRUNCATED,
  });

export const stateExited = (type: State['Type'], name: string, output: string) =>
  event(`${STATE_EVENT_PREFIX[type]}Exited`, 'stateExitedEventDetails', {
    name,
    output,
    outputDetails: NOT_TRUNCATED,
  });

// Task states through a service integration (`arn:aws:states:::lambda:invoke[...]`)

export const taskScheduled = (
  resource: TaskResourceDetails,
  region: string,
  parameters: string,
  timing: TaskTiming,
) =>
  event('TaskScheduled', 'taskScheduledEventDetails', {
    ...resource,
    region,
    parameters,
    ...timing,
  });

export const taskStarted = (resource: TaskResourceDetails) =>
  event('TaskStarted', 'taskStartedEventDetails', resource);

export const taskSubmitted = (resource: TaskResourceDetails, output: string) =>
  event('TaskSubmitted', 'taskSubmittedEventDetails', {
    ...resource,
    output,
    outputDetails: NOT_TRUNCATED,
  });

export const taskSucceeded = (resource: TaskResourceDetails, output: string) =>
  event('TaskSucceeded', 'taskSucceededEventDetails', {
    ...resource,
    output,
    outputDetails: NOT_TRUNCATED,
  });

export const taskFailed = (resource: TaskResourceDetails, details: ErrorDetails) =>
  event('TaskFailed', 'taskFailedEventDetails', { ...resource, ...given(details) });

export const taskTimedOut = (resource: TaskResourceDetails, details: ErrorDetails) =>
  event('TaskTimedOut', 'taskTimedOutEventDetails', { ...resource, ...given(details) });

// Task states whose Resource is a Lambda function ARN (the legacy form)

export const lambdaFunctionScheduled = (
  resource: string,
  input: string,
  timeoutInSeconds?: number,
) =>
  event('LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', {
    resource,
    input,
    inputDetails: NOT_TRUNCATED,
    ...(timeoutInSeconds !== undefined ? { timeoutInSeconds } : {}),
  });

export const lambdaFunctionStarted = () => event('LambdaFunctionStarted');

export const lambdaFunctionSucceeded = (output: string) =>
  event('LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails', {
    output,
    outputDetails: NOT_TRUNCATED,
  });

export const lambdaFunctionFailed = (details: ErrorDetails) =>
  event('LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails', given(details));

export const lambdaFunctionTimedOut = (details: ErrorDetails) =>
  event('LambdaFunctionTimedOut', 'lambdaFunctionTimedOutEventDetails', details);

// Parallel and Map states

export const parallelStateStarted = () => event('ParallelStateStarted');
export const parallelStateSucceeded = () => event('ParallelStateSucceeded');
export const parallelStateFailed = () => event('ParallelStateFailed');

export const mapStateStarted = (length: number) =>
  event('MapStateStarted', 'mapStateStartedEventDetails', { length });
export const mapStateSucceeded = () => event('MapStateSucceeded');
export const mapStateFailed = () => event('MapStateFailed');

export const mapIterationStarted = (name: string, index: number) =>
  event('MapIterationStarted', 'mapIterationStartedEventDetails', { name, index });
export const mapIterationSucceeded = (name: string, index: number) =>
  event('MapIterationSucceeded', 'mapIterationSucceededEventDetails', { name, index });
export const mapIterationFailed = (name: string, index: number) =>
  event('MapIterationFailed', 'mapIterationFailedEventDetails', { name, index });
