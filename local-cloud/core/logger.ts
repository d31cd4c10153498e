import type { Logger } from './service';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export function logLevelFromEnv(value = process.env.LOCAL_CLOUD_LOG): LogLevel {
  const level = (value ?? 'info').toLowerCase();
  return level in RANK ? (level as LogLevel) : 'info';
}

function formatFields(fields?: Record<string, unknown>): string {
  if (!fields) return '';
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/**
 * Human-readable single lines (`12:00:01.234 [stepfunctions] message k=v`): this is a dev tool
 * whose log is read in a terminal, not shipped to a log pipeline.
 */
export function createLogger(
  scope: string,
  level: LogLevel = logLevelFromEnv(),
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger & { child(scope: string): Logger } {
  const emit = (at: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (RANK[at] < RANK[level]) return;
    const time = new Date().toISOString().slice(11, 23);
    const tag = at === 'info' ? '' : ` ${at.toUpperCase()}`;
    write(`${time}${tag} [${scope}] ${message}${formatFields(fields)}`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (child) => createLogger(child, level, write),
  };
}
