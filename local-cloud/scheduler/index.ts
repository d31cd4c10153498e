/**
 * EventBridge Scheduler schedules whose target is a function of the backend
 * (`AWS::Scheduler::Schedule`), run on the local cloud's clock: LOCAL_CLOUD_TIME_SCALE speeds
 * them up, a manual clock drives them in tests.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 *
 * cron() and at() are evaluated in the schedule's ScheduleExpressionTimezone (default UTC):
 * aws-cron-parser finds occurrences on UTC fields, time-zones.ts maps wall time to instants.
 * Under a time scale a schedule keeps its own time line, starting at the real time of start and
 * running faster: rate(5 minutes) at scale 60 fires every 5 s, the next cron occurrence an
 * hour away comes after a minute.
 *
 * Deviations from AWS:
 * - A failed invocation is logged, not retried: Scheduler retries per the target's
 *   RetryPolicy (185 attempts over 24 h by default) and then uses the DeadLetterConfig.
 * - Occurrences fire on the minute, not somewhere within it (AWS has 60 s precision); no
 *   FlexibleTimeWindow, StartDate, EndDate or ActionAfterCompletion.
 * - An at() time already past when the local cloud starts does not run.
 * - Under an infinite time scale recurring schedules would fire in a loop, so they do not run
 *   on their own then (runNow still works).
 */
import type { LocalSchedule } from '../backend/model';
import type { Clock, Logger } from '../core/service';
import type { InvokeResult } from '../lambda/runtime';
import type { LambdaService } from '../lambda/service';
import { defaultNotification } from './event';
import {
  atInstant,
  nextCronOccurrence,
  parseScheduleExpression,
  type ScheduleExpression,
} from './expressions';
import { checkTimeZone } from './time-zones';

export { InvalidScheduleExpressionError, parseScheduleExpression } from './expressions';
export type { ScheduleExpression } from './expressions';
export { defaultNotification } from './event';

export interface SchedulerContext {
  clock: Clock;
  log: Logger;
  region: string;
  accountId: string;
}

export interface SchedulesOptions {
  /** A ServiceContext will do. */
  ctx: SchedulerContext;
  lambda: Pick<LambdaService, 'invoke'>;
  schedules: LocalSchedule[];
}

export interface Schedules {
  /** Cancels every timer and resolves once running invocations have settled. */
  close(): Promise<void>;
  /** Invokes a schedule's function now, as one occurrence would (enabled or not). */
  runNow(name: string): Promise<InvokeResult>;
}

interface Armed {
  schedule: LocalSchedule;
  expression: ScheduleExpression;
  payload: (scheduledAt: number) => unknown;
}

export function startSchedules(options: SchedulesOptions): Schedules {
  const { ctx } = options;
  // Every expression is checked before any timer starts, so a typo fails the start, naming it.
  const armed = new Map<string, Armed>();
  for (const schedule of options.schedules) {
    let expression: ScheduleExpression;
    try {
      expression = parseScheduleExpression(schedule.expression);
    } catch (error) {
      throw new Error(
        `Schedule ${schedule.name}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    if (schedule.timezone !== undefined) {
      try {
        checkTimeZone(schedule.timezone);
      } catch {
        throw new Error(
          `Schedule ${schedule.name}: ScheduleExpressionTimezone ${schedule.timezone} is not a time zone`,
        );
      }
    }
    let input: unknown;
    if (schedule.input !== undefined) {
      try {
        // A templated Lambda target's Input "must be a well-formed JSON" (API_Target.html).
        input = JSON.parse(schedule.input);
      } catch {
        throw new Error(`Schedule ${schedule.name}: Target.Input is not well-formed JSON`);
      }
    }
    armed.set(schedule.name, {
      schedule,
      expression,
      payload: (scheduledAt) =>
        schedule.input !== undefined
          ? input
          : defaultNotification({ ...ctx, scheduleName: schedule.name, scheduledAt }),
    });
  }

  const cancels = new Set<() => void>();
  const running = new Set<Promise<unknown>>();
  let closed = false;

  const invoke = (entry: Armed, scheduledAt: number): Promise<InvokeResult> => {
    const { schedule } = entry;
    ctx.log.debug('schedule fired', { schedule: schedule.name, function: schedule.functionName });
    const call = options.lambda.invoke(schedule.functionName, entry.payload(scheduledAt));
    const settled = call.then(
      (result) => {
        if (!result.ok) {
          ctx.log.warn('scheduled invocation failed (not retried)', {
            schedule: schedule.name,
            function: schedule.functionName,
            error: `${result.error.errorType}: ${result.error.errorMessage}`,
          });
        }
      },
      (error: unknown) =>
        ctx.log.warn('scheduled invocation failed (not retried)', {
          schedule: schedule.name,
          function: schedule.functionName,
          error: String(error),
        }),
    );
    running.add(settled);
    void settled.finally(() => running.delete(settled));
    return call;
  };

  /** Arms one timer; `cursor` is the schedule's own time line (occurrence times). */
  const arm = (entry: Armed, dueAt: number, cursor: number, then: (at: number) => void) => {
    const cancel = ctx.clock.setTimer(
      () => {
        cancels.delete(cancel);
        if (closed) return;
        // Asynchronously, as Scheduler invokes a Lambda target: the next occurrence does not
        // wait for this one.
        void invoke(entry, dueAt).catch(() => undefined);
        then(dueAt);
      },
      Math.max(0, dueAt - cursor),
    );
    cancels.add(cancel);
  };

  const infinite = ctx.clock.timeScale === Number.POSITIVE_INFINITY;
  for (const entry of armed.values()) {
    const { schedule, expression } = entry;
    if (!schedule.enabled) {
      ctx.log.debug('schedule disabled', { schedule: schedule.name });
      continue;
    }
    const now = ctx.clock.now();
    if (expression.kind === 'at') {
      const at = atInstant(expression, schedule.timezone);
      if (at < now) {
        ctx.log.info('one-time schedule is in the past, not running', { schedule: schedule.name });
        continue;
      }
      arm(entry, at, now, () => undefined);
      continue;
    }
    if (infinite) {
      ctx.log.warn('recurring schedule not run under an infinite time scale', {
        schedule: schedule.name,
      });
      continue;
    }
    if (expression.kind === 'rate') {
      // "If you don't provide a StartDate for a rate-based schedule, your schedule starts
      // invoking the target immediately" (schedule-types.html, Rate-based schedules).
      const next = (at: number) => arm(entry, at + expression.periodMs, at, next);
      arm(entry, now, now, next);
      continue;
    }
    const next = (after: number) => {
      const at = nextCronOccurrence(expression, after, schedule.timezone);
      if (at === undefined) {
        ctx.log.debug('cron schedule has no further occurrence', { schedule: schedule.name });
        return;
      }
      arm(entry, at, after, next);
    };
    next(now);
  }

  return {
    async close() {
      closed = true;
      for (const cancel of cancels) cancel();
      cancels.clear();
      await Promise.allSettled([...running]);
    },
    runNow(name) {
      const entry = armed.get(name);
      if (!entry) return Promise.reject(new Error(`No schedule named ${name}`));
      return invoke(entry, ctx.clock.now());
    },
  };
}
