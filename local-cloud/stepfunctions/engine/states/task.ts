/**
 * Task: https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 * Request-response Lambda calls (a function ARN, or `arn:aws:states:::lambda:invoke`) run
 * here; `.waitForTaskToken` runs in task-callback.ts.
 */
import { toStatesError } from '../../language/errors';
import { ABORTED } from '../abort-scope';
import { contextObject, type Outcome, type StateFrame } from '../frame';
import { checkPayloadSize } from '../limits';
import { withRetryAndCatch } from '../retry-catch';
import { withTimeout } from '../timers';
import { runCallbackTask } from './task-callback';
import {
  functionNameOf,
  resolveTiming,
  taskParameters,
  toJson,
  type ResolvedTiming,
} from './task-request';
import { classifyResource, TaskEvents, type TaskResource } from './task-resource';

export const runTaskState = (frame: StateFrame): Promise<Outcome> =>
  withRetryAndCatch(frame, runTaskAttempt);

async function runTaskAttempt(frame: StateFrame, resumeToken: string | undefined) {
  const resource = classifyResource(frame.state.Resource);
  const timing = resolveTiming(frame);
  const events = new TaskEvents(frame, resource);
  if (resource.kind === 'lambda-invoke' && resource.waitForTaskToken) {
    return runCallbackTask(frame, events, timing, resumeToken);
  }
  return runRequestResponse(frame, resource, events, timing);
}

async function runRequestResponse(
  frame: StateFrame,
  resource: TaskResource,
  events: TaskEvents,
  timing: ResolvedTiming,
): Promise<unknown> {
  const { run, scope, name } = frame;
  const params = taskParameters(frame, contextObject(frame));
  const direct = resource.kind === 'lambda-arn';
  const functionRef = direct ? resource.functionRef : functionNameOf(params);
  const payload = direct ? params : (params as Record<string, unknown>).Payload;
  const request = toJson(params);
  checkPayloadSize(request, `The input of state '${name}'`);
  events.scheduled(functionRef, request, timing.seconds);
  let result: unknown;
  try {
    const invoked = run.host.invoke(functionRef, payload);
    result = await scope.abort.guard(withTimeout(run.host.clock, invoked, timing.timeoutMs));
  } catch (thrown) {
    if (thrown === ABORTED || scope.abort.aborted) throw ABORTED;
    const error = toStatesError(thrown);
    events.failed(error, error.name === 'States.Timeout');
    throw error;
  }
  // The integration wraps the function's answer as Lambda's Invoke API does.
  const output = direct ? result : { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
  const text = toJson(output);
  try {
    checkPayloadSize(text, `The result of state '${name}'`);
  } catch (error) {
    events.failed(toStatesError(error), false);
    throw error;
  }
  events.succeeded(text);
  return output;
}
