import { describe, expect, it } from 'vitest';
import { parseScheduleExpression, type ScheduleExpression } from '../../../local-cloud/scheduler';
import { nextCronOccurrence } from '../../../local-cloud/scheduler/expressions';

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
      atMs: Date.UTC(2026, 11, 1, 10),
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
