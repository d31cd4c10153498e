import awsCronParser from 'aws-cron-parser';
import { fromWall, toWall } from './time-zones';

/**
 * EventBridge Scheduler's schedule expressions
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html):
 * `rate(value unit)`, `cron(minutes hours day-of-month month day-of-week year)` and
 * `at(yyyy-mm-ddThh:mm:ss)`.
 */
export type ScheduleExpression =
  | { kind: 'rate'; periodMs: number }
  | { kind: 'cron'; cron: ReturnType<typeof awsCronParser.parse> }
  /** `wallMs`: the date and time as written, as a UTC timestamp of those fields. */
  | { kind: 'at'; wallMs: number };

const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/**
 * One cron field as the cron reference allows it (values, ranges, lists, `/` increments, `*`,
 * `?`, and `L`, `W`, `#` where they apply). aws-cron-parser assumes a valid expression (a
 * non-number passes its range check as NaN), so the shape is checked here first.
 */
const NAMES = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT';
const VALUE = `(?:\\d+|${NAMES})`;
const RANGE = `${VALUE}(?:-${VALUE})?`;
const LIST = `(?:\\*|${RANGE})(?:/\\d+)?(?:,(?:${RANGE})(?:/\\d+)?)*`;
const FIELD_PATTERNS: [string, RegExp][] = [
  ['minutes', new RegExp(`^${LIST}$`)],
  ['hours', new RegExp(`^${LIST}$`)],
  ['day-of-month', new RegExp(`^(?:\\?|L(?:-\\d+)?|\\d+W|${LIST})$`, 'i')],
  ['month', new RegExp(`^${LIST}$`, 'i')],
  ['day-of-week', new RegExp(`^(?:\\?|\\d+L|[1-7]#[1-5]|${LIST})$`, 'i')],
  ['year', new RegExp(`^${LIST}$`)],
];

export class InvalidScheduleExpressionError extends Error {
  constructor(expression: string, reason: string) {
    super(`Invalid schedule expression "${expression}": ${reason}`);
    this.name = 'ValidationException';
  }
}

function parseCron(expression: string, body: string): ScheduleExpression {
  const fields = body.trim().split(/\s+/);
  const fail = (reason: string) => new InvalidScheduleExpressionError(expression, reason);
  if (fields.length !== 6) {
    throw fail(
      `cron() takes six fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`,
    );
  }
  fields.forEach((field, i) => {
    const [name, pattern] = FIELD_PATTERNS[i]!;
    if (!pattern.test(field)) throw fail(`the ${name} field "${field}" is not valid`);
  });
  // "You can't specify the Day-of-month and Day-of-week fields in the same cron expression.
  // If you specify a value or a * in one of the fields, you must use a ? in the other."
  if ((fields[2] === '?') === (fields[4] === '?')) {
    throw fail('one of day-of-month and day-of-week must be "?" (and only one)');
  }
  try {
    return { kind: 'cron', cron: awsCronParser.parse(fields.join(' ')) };
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error));
  }
}

/** Parses an expression; throws InvalidScheduleExpressionError saying what is wrong. */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const match = /^(rate|cron|at)\((.*)\)$/.exec(expression.trim());
  if (!match) {
    throw new InvalidScheduleExpressionError(
      expression,
      'expected rate(value unit), cron(fields) or at(yyyy-mm-ddThh:mm:ss)',
    );
  }
  const [, kind, body] = match as unknown as [string, 'rate' | 'cron' | 'at', string];
  if (kind === 'cron') return parseCron(expression, body);
  if (kind === 'rate') {
    const rate = /^\s*(\d+)\s+([a-z]+)\s*$/.exec(body);
    const unit = rate ? UNIT_MS[rate[2]!] : undefined;
    const value = rate ? Number(rate[1]) : 0;
    if (!rate || unit === undefined || value < 1) {
      throw new InvalidScheduleExpressionError(
        expression,
        'rate() takes a positive integer and minute(s), hour(s) or day(s)',
      );
    }
    return { kind: 'rate', periodMs: value * unit };
  }
  const at = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  const wallMs = at ? Date.parse(`${body.trim()}Z`) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to March; a date that does not round-trip is invalid.
  if (!at || Number.isNaN(wallMs) || new Date(wallMs).toISOString().slice(0, 19) !== body.trim()) {
    throw new InvalidScheduleExpressionError(expression, 'at() takes yyyy-mm-ddThh:mm:ss');
  }
  return { kind: 'at', wallMs };
}

const isUtc = (timeZone: string | undefined) =>
  timeZone === undefined || timeZone === 'UTC' || timeZone === 'Etc/UTC';

/**
 * The instant of a one-time schedule in `timeZone`. A time that does not exist there (inside a
 * spring-forward gap) is taken with the offset before the change, which lands after the gap.
 */
export function atInstant(
  expression: Extract<ScheduleExpression, { kind: 'at' }>,
  timeZone?: string,
): number {
  const { wallMs } = expression;
  if (isUtc(timeZone)) return wallMs;
  const before = wallMs - 14 * 3_600_000;
  return fromWall(wallMs, timeZone!)[0] ?? wallMs - (toWall(before, timeZone!) - before);
}

/**
 * The first cron occurrence strictly after `afterMs` (minute precision) in `timeZone`, or
 * undefined when there is none. Daylight saving time as Scheduler handles it: "if a cron
 * expression falls on a non-existent date and time, your schedule invocation is skipped", and
 * when clocks go back "your schedule runs only once and does not repeat its invocation"
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html, Daylight
 * saving time): occurrences are found on the wall clock, which never repeats an hour here
 * because each search starts from the wall time of the previous occurrence.
 */
export function nextCronOccurrence(
  expression: Extract<ScheduleExpression, { kind: 'cron' }>,
  afterMs: number,
  timeZone?: string,
): number | undefined {
  if (isUtc(timeZone)) return awsCronParser.next(expression.cron, new Date(afterMs))?.getTime();
  let wallAfter = toWall(afterMs, timeZone!);
  // Each round moves past one wall time; a gap skips at most one or two occurrences.
  for (let round = 0; round < 8; round++) {
    const wall = awsCronParser.next(expression.cron, new Date(wallAfter))?.getTime();
    if (wall === undefined) return undefined;
    const instant = fromWall(wall, timeZone!).find((utc) => utc > afterMs);
    if (instant !== undefined) return instant;
    wallAfter = wall;
  }
  return undefined;
}
