import { AwsError } from '../core/protocols/errors';
import type { HistoryEvent } from './store';

const validationError = (message: string) => new AwsError('ValidationException', message);

/** Request validation and response shaping for the Step Functions JSON 1.0 wire format. */

export const toEpochSeconds = (ms: number) => ms / 1000;

export function requireString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw validationError(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

export function optionalString(input: Record<string, unknown>, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(`'${field}' must be a string`);
  return value;
}

/**
 * An optional string member with a length limit (StopExecution and SendTaskFailure `error` is at
 * most 256 characters, `cause` 32,768), refused as the SDK's model would.
 */
export function optionalBoundedString(
  input: Record<string, unknown>,
  field: string,
  max: number,
): string | undefined {
  const value = optionalString(input, field);
  if (value !== undefined && value.length > max) {
    throw validationError(
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  }
  return value;
}

export const ERROR_MAX = 256;
export const CAUSE_MAX = 32_768;

/** Page tokens carry an offset; a tampered one (negative, fractional) is an invalid token. */
export const isOffset = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0;

export function pageSize(input: Record<string, unknown>, fallback = 100): number {
  const value = input.maxResults;
  if (value === undefined || value === null || value === 0) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw validationError('maxResults must be between 0 and 1000');
  }
  return value;
}

const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;

export function requireExecutionArn(input: Record<string, unknown>): string {
  const arn = requireString(input, 'executionArn');
  if (!EXECUTION_ARN.test(arn)) throw new AwsError('InvalidArn', `Invalid Arn: '${arn}'`);
  return arn;
}

export function requireStateMachineArn(input: Record<string, unknown>): string {
  const arn = requireString(input, 'stateMachineArn');
  if (!STATE_MACHINE_ARN.test(arn)) throw new AwsError('InvalidArn', `Invalid Arn: '${arn}'`);
  return arn;
}

/**
 * Execution and state machine names alike: 1–80 characters, no whitespace, brackets, wildcards,
 * these punctuation marks or control characters (CreateStateMachine / StartExecution `name`).
 */
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export function validateName(name: string): string {
  if (name.length < 1 || name.length > 80 || INVALID_NAME.test(name)) {
    throw new AwsError('InvalidName', `Invalid Name: '${name}'`);
  }
  return name;
}

export function requireJson(text: string, errorType: string, what: string): string {
  try {
    JSON.parse(text);
  } catch {
    throw new AwsError(errorType, `Invalid ${what}: not valid JSON`);
  }
  if (Buffer.byteLength(text) > 262_144) throw new AwsError(errorType, `${what} exceeds 256 KB`);
  return text;
}

/** Opaque page tokens: base64url JSON bound to the request they continue. */
export function encodePageToken(payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodePageToken<T extends Record<string, unknown>>(
  token: string | undefined,
  check: (payload: T) => boolean,
): T | undefined {
  if (token === undefined) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
    if (payload && typeof payload === 'object' && check(payload)) return payload;
  } catch {
    // fall through
  }
  throw new AwsError('InvalidToken', 'Invalid pagination token');
}

const DATA_FIELDS = new Set(['input', 'output', 'parameters']);

/** History event on the wire: epoch seconds, and without payloads if `includeExecutionData` is false. */
export function historyEventToWire(
  event: HistoryEvent,
  includeData: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...event, timestamp: toEpochSeconds(event.timestamp) };
  if (includeData) return out;
  for (const [key, value] of Object.entries(out)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).filter(([k]) => !DATA_FIELDS.has(k)));
    }
  }
  return out;
}
