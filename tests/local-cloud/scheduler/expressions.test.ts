import { describe, expect, it } from 'vitest';
import { parseScheduleExpression, type ScheduleExpression } from '../../../local-cloud/scheduler';
import { atInstant, nextCronOccurrence } from '../../../local-cloud/scheduler/expressions';

const cron = (expression: string) =>
  parseScheduleExpression(expression) as Extract<ScheduleExpression, { kind: 'cron' }>;
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('schedule expressions', () => {
  it.each([
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(2 hours)', 7_200_000],
    ['rate(1 day)', 86_400_000],
  ])('reads %s', (expression, periodMs) => {
    expect(parseScheduleExpression(expression)).toEqual({ kind: 'rate', periodMs });
  });

  it('reads at() as UTC', () => {
    expect(parseScheduleExpression('at(2026-12-01T10:00:00)')).toEqual({
      kind: 'at',
      wallMs: Date.UTC(2026, 11, 1, 10),
    });
  });

  it('finds the next cron occurrence', () => {
    const from = Date.UTC(2026, 11, 2, 3, 7, 30);
    expect(iso(nextCronOccurrence(cron('cron(0/5 * * * ? *)'), from))).toBe(
      '2026-12-02T03:10:00.000Z',
    );
    expect(iso(nextCronOccurrence(cron('cron(0 8 1 * ? *)'), from))).toBe(
      '2027-01-01T08:00:00.000Z',
    );
    // 2 December 2026 is a Wednesday; the next Monday 09:30 is the 7th.
    expect(iso(nextCronOccurrence(cron('cron(30 9 ? * MON *)'), from))).toBe(
      '2026-12-07T09:30:00.000Z',
    );
    expect(nextCronOccurrence(cron('cron(0 0 1 1 ? 2020)'), from)).toBeUndefined();
  });

  it('evaluates cron() and at() in the schedule time zone', () => {
    const from = Date.UTC(2026, 11, 2, 3, 7, 30);
    // Berlin is UTC+1 in December.
    expect(iso(nextCronOccurrence(cron('cron(0 8 * * ? *)'), from, 'Europe/Berlin'))).toBe(
      '2026-12-02T07:00:00.000Z',
    );
    const at = parseScheduleExpression('at(2026-12-02T09:00:00)') as Extract<
      ScheduleExpression,
      { kind: 'at' }
    >;
    expect(iso(atInstant(at, 'Europe/Berlin'))).toBe('2026-12-02T08:00:00.000Z');
    expect(iso(atInstant(at, 'UTC'))).toBe('2026-12-02T09:00:00.000Z');
  });

  it('skips a cron time that daylight saving time skips', () => {
    // New York springs forward at 02:00 on 14 March 2027: 02:30 does not exist that day.
    const daily = cron('cron(30 2 * * ? *)');
    const from = Date.UTC(2027, 2, 13, 12);
    expect(iso(nextCronOccurrence(daily, from, 'America/New_York'))).toBe(
      '2027-03-15T06:30:00.000Z',
    );
  });

  it('runs the repeated hour once when clocks go back', () => {
    // New York falls back at 02:00 EDT on 1 November 2026 (01:00-01:59 happens twice).
    const quarterly = cron('cron(0/15 * * * ? *)');
    const runs: (string | undefined)[] = [];
    let at = Date.UTC(2026, 10, 1, 5, 0);
    for (let i = 0; i < 4; i++) {
      at = nextCronOccurrence(quarterly, at, 'America/New_York')!;
      runs.push(iso(at));
    }
    expect(runs).toEqual([
      '2026-11-01T05:15:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T05:45:00.000Z',
      // 02:00 EST: the second 01:00-01:59 is not run again.
      '2026-11-01T07:00:00.000Z',
    ]);
  });

  it.each([
    ['every 5 minutes', /expected rate/],
    ['rate(0 minutes)', /positive integer/],
    ['rate(5 weeks)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['cron(0 8 * * *)', /six fields/],
    ['cron(0 8 * * * *)', /day-of-month and day-of-week/],
    ['cron(0 8 ? * ? *)', /day-of-month and day-of-week/],
    ['cron(x 8 * * ? *)', /minutes field "x"/],
    ['cron(0 25 * * ? *)', /not between 0 and 23/],
    ['at(2026-02-30T10:00:00)', /yyyy-mm-ddThh:mm:ss/],
    ['at(2026-12-01 10:00)', /yyyy-mm-ddThh:mm:ss/],
  ])('rejects %s', (expression, message) => {
    expect(() => parseScheduleExpression(expression)).toThrow(message);
  });
});
