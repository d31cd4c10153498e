/**
 * Which Task resources run locally, and the one place that writes task history events for
 * both the request-response and the callback (`.waitForTaskToken`) patterns.
 */
import { runtimeError, type StatesError } from '../../language/errors';
import type { StateFrame } from '../frame';
import * as history from '../history';
import type { TaskResourceDetails, TaskTiming } from '../history';

export type TaskResource =
  /** `Resource` is the function's ARN: AWS reports it as LambdaFunction* events. */
  | { kind: 'lambda-arn'; functionRef: string }
  /** The Lambda service integration: Task* events with resourceType `lambda`. */
  | { kind: 'lambda-invoke'; waitForTaskToken: boolean; details: TaskResourceDetails };

const LAMBDA_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;

const INTEGRATIONS: Record<string, TaskResource> = {
  'arn:aws:states:::lambda:invoke': {
    kind: 'lambda-invoke',
    waitForTaskToken: false,
    details: { resourceType: 'lambda', resource: 'invoke' },
  },
  'arn:aws:states:::lambda:invoke.waitForTaskToken': {
    kind: 'lambda-invoke',
    waitForTaskToken: true,
    details: { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' },
  },
};

export function classifyResource(resource: string | undefined): TaskResource {
  if (resource && LAMBDA_ARN.test(resource)) return { kind: 'lambda-arn', functionRef: resource };
  const integration = resource ? INTEGRATIONS[resource] : undefined;
  if (integration) return integration;
  // Deviation: only Lambda runs locally; any other resource fails loudly instead of faking.
  throw runtimeError(
    `The local cloud does not support Task resource '${resource ?? ''}': use a Lambda function ARN, ` +
      `${Object.keys(INTEGRATIONS).join(' or ')}`,
  );
}

/** The events of one task attempt, in the family AWS uses for its resource. */
export class TaskEvents {
  constructor(
    private readonly frame: StateFrame,
    private readonly resource: TaskResource,
  ) {}

  /** Scheduled + Started. `request` is the Lambda payload (ARN form) or the Parameters. */
  scheduled(functionRef: string, request: string, timing: TaskTiming): void {
    if (this.resource.kind === 'lambda-arn') {
      this.emit(history.lambdaFunctionScheduled(functionRef, request, timing.timeoutInSeconds));
      this.emit(history.lambdaFunctionStarted());
      return;
    }
    const details = this.resource.details;
    this.emit(history.taskScheduled(details, this.frame.run.host.region, request, timing));
    this.emit(history.taskStarted(details));
  }

  /** The callback handler was invoked; the task now waits for its token. */
  submitted(output: string): void {
    if (this.resource.kind === 'lambda-invoke') {
      this.emit(history.taskSubmitted(this.resource.details, output));
    }
  }

  succeeded(output: string): void {
    if (this.resource.kind === 'lambda-arn') this.emit(history.lambdaFunctionSucceeded(output));
    else this.emit(history.taskSucceeded(this.resource.details, output));
  }

  failed(error: StatesError, timedOut: boolean): void {
    const details = { error: error.name, cause: error.cause };
    if (this.resource.kind === 'lambda-arn') {
      this.emit(
        timedOut ? history.lambdaFunctionTimedOut(details) : history.lambdaFunctionFailed(details),
      );
      return;
    }
    const resource = this.resource.details;
    this.emit(
      timedOut ? history.taskTimedOut(resource, details) : history.taskFailed(resource, details),
    );
  }

  private emit(event: history.NewHistoryEvent): void {
    this.frame.run.emit(this.frame.scope, event);
  }
}
