/** What one task attempt sends: its Parameters, the function to call, and its time limits. */
import { scaleTimeout } from '../../../core/clock';
import { resolveTemplate } from '../../language/data-flow';
import { runtimeError } from '../../language/errors';
import { readReferencePath } from '../../language/json-path';
import { contextObject, effectiveInput, type StateFrame } from '../frame';
import type { TaskTiming } from '../history';

export interface ResolvedTiming {
  /** As the Scheduled event reports them (unscaled seconds). */
  seconds: TaskTiming;
  /** Scaled by the clock; undefined: no limit (or an infinite time scale). */
  timeoutMs?: number;
  heartbeatMs?: number;
}

/** JSON text of a payload; a handler that returns nothing answers `null`, as Lambda does. */
export const toJson = (value: unknown): string => JSON.stringify(value) ?? 'null';

export function functionNameOf(params: unknown): string {
  const fn = (params as Record<string, unknown> | null)?.FunctionName;
  if (typeof fn !== 'string') throw runtimeError('lambda:invoke needs Parameters.FunctionName');
  return fn;
}

/** The effective input through Parameters (with `ctx`, which may carry `$$.Task.Token`). */
export function taskParameters(frame: StateFrame, ctx: unknown): unknown {
  const effective = effectiveInput(frame);
  const { Parameters } = frame.state;
  return Parameters !== undefined ? resolveTemplate(Parameters, effective, ctx) : effective;
}

/**
 * TimeoutSeconds / HeartbeatSeconds, or their *Path forms, which must select a positive
 * integer (AWS fails the state with States.Runtime otherwise; the cause text is ours).
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 */
export function resolveTiming(frame: StateFrame): ResolvedTiming {
  const { state, run } = frame;
  const seconds = (field: string, value: number | undefined, path: string | undefined) => {
    if (value !== undefined || path === undefined) return value;
    const resolved = readReferencePath(path, effectiveInput(frame), contextObject(frame));
    if (typeof resolved !== 'number' || !Number.isInteger(resolved) || resolved <= 0) {
      throw runtimeError(
        `The ${field} parameter does not reference a positive integer: ${path} == ${JSON.stringify(resolved)}`,
      );
    }
    return resolved;
  };
  const timeout = seconds('TimeoutSecondsPath', state.TimeoutSeconds, state.TimeoutSecondsPath);
  const heartbeat = seconds(
    'HeartbeatSecondsPath',
    state.HeartbeatSeconds,
    state.HeartbeatSecondsPath,
  );
  const scale = run.host.clock.timeScale ?? 1;
  const scaled = (s: number | undefined) =>
    s === undefined ? undefined : scaleTimeout(s * 1000, scale);
  return {
    seconds: {
      ...(timeout !== undefined ? { timeoutInSeconds: timeout } : {}),
      ...(heartbeat !== undefined ? { heartbeatInSeconds: heartbeat } : {}),
    },
    timeoutMs: scaled(timeout),
    heartbeatMs: scaled(heartbeat),
  };
}
