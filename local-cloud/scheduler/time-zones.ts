/**
 * Wall-clock time in an IANA time zone, through Intl (Node ships full ICU): aws-cron-parser
 * computes occurrences in UTC fields, so a schedule's cron() and at() are evaluated on "wall
 * time as if it were UTC" and mapped back to instants here.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    // Throws RangeError for a zone ICU does not know.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Throws a RangeError naming the zone when it is not an IANA time zone ICU knows. */
export function checkTimeZone(timeZone: string): void {
  formatter(timeZone);
}

/** The wall time in `timeZone` at the instant `utcMs`, as a UTC timestamp of the same fields. */
export function toWall(utcMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return wall + (utcMs - Math.floor(utcMs / 1000) * 1000);
}

const HOURS_14 = 14 * 3_600_000;

/**
 * The instants whose wall time in `timeZone` is `wallMs`, earliest first: none in a
 * spring-forward gap, two in a fall-back overlap, else one. Offsets lie within ±14 h and change
 * at most once around a given day, so the offsets 14 h either side are the only candidates.
 */
export function fromWall(wallMs: number, timeZone: string): number[] {
  const offsets = new Set(
    [wallMs - HOURS_14, wallMs + HOURS_14].map((at) => toWall(at, timeZone) - at),
  );
  return [...offsets]
    .map((offset) => wallMs - offset)
    .filter((utc) => toWall(utc, timeZone) === wallMs)
    .sort((a, b) => a - b);
}
