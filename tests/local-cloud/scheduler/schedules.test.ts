import { afterEach, describe, expect, it } from 'vitest';
import type { LocalSchedule } from '../../../local-cloud/backend/model';
import { createManualClock } from '../../../local-cloud/core/clock';
import type { Logger } from '../../../local-cloud/core/service';
import type { InvokeResult } from '../../../local-cloud/lambda/runtime';
import { startSchedules, type Schedules } from '../../../local-cloud/scheduler';

const START = Date.UTC(2026, 11, 2, 3, 7, 30);
const MINUTE = 60_000;
const warnings: string[] = [];
const log: Logger = {
  debug() {},
  info() {},
  warn: (message) => void warnings.push(message),
  error() {},
};

const schedule = (over: Partial<LocalSchedule>): LocalSchedule => ({
  name: 'tick',
  expression: 'rate(5 minutes)',
  functionName: 'reconciler',
  enabled: true,
  ...over,
});

function harness(schedules: LocalSchedule[], fail = false) {
  const clock = createManualClock(START);
  const calls: { at: string; name: string; payload: unknown }[] = [];
  const lambda = {
    async invoke(name: string, payload: unknown): Promise<InvokeResult> {
      calls.push({ at: new Date(clock.now()).toISOString(), name, payload });
      return fail
        ? {
            ok: false,
            error: { errorType: 'Error', errorMessage: 'down' },
            durationMs: 1,
            coldStart: false,
          }
        : { ok: true, payload: null, durationMs: 1, coldStart: false };
    },
  };
  running = startSchedules({
    ctx: { clock, log, region: 'us-east-1', accountId: '000000000000' },
    lambda,
    schedules,
  });
  return { clock, calls, schedules: running };
}

let running: Schedules | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  warnings.length = 0;
});

const times = (calls: { at: string }[]) => calls.map((c) => c.at.slice(11, 19));

describe('EventBridge Scheduler schedules', () => {
  it('runs a rate schedule at once, then every period', () => {
    const { clock, calls } = harness([schedule({ input: '{"sweep":true}' })]);
    clock.advance(0);
    clock.advance(16 * MINUTE);
    expect(times(calls)).toEqual(['03:07:30', '03:12:30', '03:17:30', '03:22:30']);
    expect(calls[0]).toMatchObject({ name: 'reconciler', payload: { sweep: true } });
  });

  it('runs a cron schedule on its minutes (UTC)', () => {
    const { clock, calls } = harness([schedule({ expression: 'cron(0/10 * * * ? *)' })]);
    clock.advance(35 * MINUTE);
    expect(times(calls)).toEqual(['03:10:00', '03:20:00', '03:30:00', '03:40:00']);
  });

  it('runs an at() schedule once', () => {
    const { clock, calls } = harness([schedule({ expression: 'at(2026-12-02T04:00:00)' })]);
    clock.advance(24 * 60 * MINUTE);
    expect(times(calls)).toEqual(['04:00:00']);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('does not run an at() schedule already past', () => {
    const { clock, calls } = harness([schedule({ expression: 'at(2026-12-01T04:00:00)' })]);
    clock.advance(MINUTE);
    expect(calls).toEqual([]);
  });

  it('sends the default notification when the schedule has no Input', () => {
    const { clock, calls } = harness([schedule({})]);
    clock.advance(0);
    expect(calls[0]!.payload).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '000000000000',
      region: 'us-east-1',
      time: '2026-12-02T03:07:30Z',
      resources: ['arn:aws:scheduler:us-east-1:000000000000:schedule/default/tick'],
      detail: '{}',
    });
  });

  it('does not run a disabled schedule, but runNow still invokes it', async () => {
    const { clock, calls, schedules } = harness([schedule({ enabled: false })]);
    clock.advance(60 * MINUTE);
    expect(calls).toEqual([]);
    await schedules.runNow('tick');
    expect(calls).toHaveLength(1);
    await expect(schedules.runNow('nope')).rejects.toThrow('No schedule named nope');
  });

  it('logs a failed invocation and keeps the schedule going', async () => {
    const { clock, calls } = harness([schedule({})], true);
    clock.advance(5 * MINUTE);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toHaveLength(2);
    expect(warnings).toEqual([
      'scheduled invocation failed (not retried)',
      'scheduled invocation failed (not retried)',
    ]);
  });

  it('runs cron() in the schedule time zone', () => {
    const { clock, calls } = harness([
      schedule({ expression: 'cron(0 8 * * ? *)', timezone: 'Europe/Berlin' }),
    ]);
    clock.advance(24 * 60 * MINUTE);
    expect(calls.map((c) => c.at)).toEqual(['2026-12-02T07:00:00.000Z']);
  });

  it('stops on close()', async () => {
    const { clock, calls, schedules } = harness([schedule({})]);
    clock.advance(0);
    await schedules.close();
    clock.advance(60 * MINUTE);
    expect(calls).toHaveLength(1);
  });

  it('fails to start on an invalid expression, naming the schedule', () => {
    expect(() => harness([schedule({ name: 'nightly', expression: 'cron(0 3 * * *)' })])).toThrow(
      /^Schedule nightly: Invalid schedule expression "cron\(0 3 \* \* \*\)": cron\(\) takes six fields/,
    );
    expect(() => harness([schedule({ name: 'mars', timezone: 'Mars/Olympus_Mons' })])).toThrow(
      'Schedule mars: ScheduleExpressionTimezone Mars/Olympus_Mons is not a time zone',
    );
    expect(() => harness([schedule({ name: 'bad-input', input: '{not json' })])).toThrow(
      'Schedule bad-input: Target.Input is not well-formed JSON',
    );
  });
});
