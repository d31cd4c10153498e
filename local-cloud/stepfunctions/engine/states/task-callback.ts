/**
 * `arn:aws:states:::lambda:invoke.waitForTaskToken`: invoke the handler with a task token in
 * its Parameters, then park until SendTaskSuccess / SendTaskFailure / a timeout closes it.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
 *
 * Durability: the token row and the resume point are written, with TaskScheduled, before the
 * handler can leak the token; after a restart the attempt gets the token back (`resumeToken`)
 * and only waits on it, without invoking the handler again.
 */
import { StatesError, toStatesError } from '../../language/errors';
import { ABORTED } from '../abort-scope';
import { contextObject, type StateFrame } from '../frame';
import { checkPayloadSize } from '../limits';
import { functionNameOf, taskParameters, toJson, type ResolvedTiming } from './task-request';
import type { TaskEvents } from './task-resource';

export async function runCallbackTask(
  frame: StateFrame,
  events: TaskEvents,
  timing: ResolvedTiming,
  resumeToken: string | undefined,
): Promise<unknown> {
  const token = resumeToken ?? (await handOutToken(frame, events, timing));
  const { host } = frame.run;
  const outcome = await frame.scope.abort.guard(host.tokens.wait(token)).catch((error: unknown) => {
    if (error === ABORTED) host.tokens.release(token);
    throw error;
  });
  if (outcome.kind === 'succeeded') {
    const error = sizeError(outcome.output, frame.name);
    if (error) {
      events.failed(error, false);
      throw error;
    }
    events.succeeded(outcome.output);
    return JSON.parse(outcome.output);
  }
  const error = new StatesError(outcome.error, outcome.cause);
  events.failed(error, outcome.kind === 'timed_out');
  throw error;
}

function sizeError(output: string, name: string): StatesError | undefined {
  try {
    checkPayloadSize(output, `The result of state '${name}'`);
    return undefined;
  } catch (error) {
    return toStatesError(error);
  }
}

/** Mints and records the token, invokes the handler with it; returns once it is submitted. */
async function handOutToken(
  frame: StateFrame,
  events: TaskEvents,
  timing: ResolvedTiming,
): Promise<string> {
  const { run, scope, name } = frame;
  const { host } = run;
  const token = host.tokens.mint();
  const params = taskParameters(frame, contextObject(frame, token));
  const request = toJson(params);
  checkPayloadSize(request, `The input of state '${name}'`);
  const functionRef = functionNameOf(params);
  const now = host.clock.now();
  host.store.transaction(() => {
    host.store.insertToken({
      token,
      executionArn: run.arn,
      stateName: name,
      timeoutAt: timing.timeoutMs !== undefined ? now + timing.timeoutMs : null,
      heartbeatAt: timing.heartbeatMs !== undefined ? now + timing.heartbeatMs : null,
      heartbeatMs: timing.heartbeatMs ?? null,
    });
    if (scope.root) {
      host.store.setResume(run.arn, {
        retryCounters: frame.retry.counters,
        retryCount: frame.retry.count,
        token,
      });
    }
    events.scheduled(functionRef, request, timing.seconds);
  });
  let invoked: unknown;
  try {
    const payload = (params as Record<string, unknown>).Payload;
    invoked = await scope.abort.guard(host.invoke(functionRef, payload));
  } catch (thrown) {
    if (thrown === ABORTED || scope.abort.aborted) throw ABORTED;
    const error = toStatesError(thrown);
    host.store.closeToken(token, 'failed', { error: error.name, cause: error.cause });
    events.failed(error, false);
    throw error;
  }
  events.submitted(toJson({ ExecutedVersion: '$LATEST', Payload: invoked, StatusCode: 200 }));
  return token;
}
