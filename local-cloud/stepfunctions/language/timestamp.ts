/**
 * ASL timestamps: "strings which conform to the RFC3339 profile of ISO 8601, with the further
 * restrictions that an uppercase 'T' character MUST be used to separate date and time, and an
 * uppercase 'Z' character MUST be present in the absence of a numeric time zone offset, for
 * example '2016-03-14T01:59:00Z'" (https://states-language.net/spec.html#timestamps).
 * Fractional seconds are optional and of any length.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/;

/** A comparable instant: whole epoch seconds, then the fraction as 9+ digit text. */
export interface Instant {
  seconds: number;
  fraction: string;
}

export function parseTimestamp(value: unknown): Instant | undefined {
  if (typeof value !== 'string') return undefined;
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // RFC 3339 allows second 60 (leap second); JavaScript time has none, so it folds onto :59.
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const utc = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto 1900-1999.
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, Math.min(second, 59), 0);
  return {
    seconds: utc.getTime() / 1000 - offsetMinutes * 60,
    fraction: (m[7] ?? '').padEnd(9, '0'),
  };
}

function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

export const isTimestamp = (value: unknown) => parseTimestamp(value) !== undefined;

export function compareInstants(a: Instant, b: Instant): number {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  const length = Math.max(a.fraction.length, b.fraction.length);
  const fa = a.fraction.padEnd(length, '0');
  const fb = b.fraction.padEnd(length, '0');
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}
