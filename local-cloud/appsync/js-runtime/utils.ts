import { randomUUID } from 'node:crypto';
import { fromAttributeValue, toAttributeMap, toAttributeValue } from './dynamodb-json';
import { toSubscriptionFilter, type SubscriptionFilter } from './subscription-filter';

/** An error a resolver raised with `util.error` / `util.unauthorized`; ends the field. */
export class ResolverError extends Error {
  constructor(
    message: string,
    readonly errorType: string | null,
    readonly data: unknown = null,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
  }
}

/** `runtime.earlyReturn(value)`: skips the data source and the response handler. */
export class EarlyReturn {
  constructor(readonly value: unknown) {}
}

/** What one request/response run records besides its return value. */
export interface InvocationState {
  typeName: string;
  fieldName: string;
  now: () => number;
  subscriptionFilter?: SubscriptionFilter;
  appendedErrors: ResolverError[];
}

const unsupported = (name: string) => () => {
  throw new Error(`${name} is not supported by the local AppSync runtime`);
};

/**
 * The subset of `@aws-appsync/utils` the local runtime provides. `current()` is the invocation
 * being evaluated: APPSYNC_JS handlers are synchronous, so one slot per module suffices.
 */
export function createAppSyncUtils(current: () => InvocationState) {
  const now = () => new Date(current().now());
  const util = {
    error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
      throw new ResolverError(message, errorType ?? null, data ?? null, errorInfo ?? null);
    },
    appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown) {
      current().appendedErrors.push(
        new ResolverError(message, errorType ?? null, data ?? null, errorInfo ?? null),
      );
    },
    unauthorized(): never {
      const { fieldName, typeName } = current();
      throw new ResolverError(
        `Not Authorized to access ${fieldName} on type ${typeName}`,
        'Unauthorized',
      );
    },
    autoId: () => randomUUID(),
    autoUlid: unsupported('util.autoUlid'),
    isNull: (v: unknown) => v === null || v === undefined,
    isNullOrEmpty: (v: unknown) => v === null || v === undefined || v === '',
    isNullOrBlank: (v: unknown) =>
      v === null || v === undefined || (typeof v === 'string' && v.trim() === ''),
    defaultIfNull: (v: unknown, d: unknown) => (v === null || v === undefined ? d : v),
    matches: (pattern: string, value: string) => new RegExp(pattern).test(value),
    escapeJavaScript: (v: string) => JSON.stringify(v).slice(1, -1),
    urlEncode: (v: string) => encodeURIComponent(v),
    urlDecode: (v: string) => decodeURIComponent(v),
    base64Encode: (v: string) => Buffer.from(v).toString('base64'),
    base64Decode: (v: string) => Buffer.from(v, 'base64').toString(),
    time: {
      nowISO8601: () => now().toISOString(),
      nowEpochSeconds: () => Math.floor(current().now() / 1000),
      nowEpochMilliSeconds: () => current().now(),
      parseISO8601ToEpochMilliSeconds: (v: string) => Date.parse(v),
      epochMilliSecondsToISO8601: (ms: number) => new Date(ms).toISOString(),
      epochMilliSecondsToSeconds: (ms: number) => Math.floor(ms / 1000),
      nowFormatted: unsupported('util.time.nowFormatted'),
    },
    dynamodb: {
      toDynamoDB: toAttributeValue,
      toMapValues: toAttributeMap,
      toString: (v: string) => ({ S: v }),
      toNumber: (v: number) => ({ N: String(v) }),
      toBoolean: (v: boolean) => ({ BOOL: v }),
      toNull: () => ({ NULL: true }),
      toList: (v: unknown[]) => toAttributeValue(v),
      toMap: (v: Record<string, unknown>) => toAttributeValue(v),
      toStringSet: (v: string[]) => ({ SS: v }),
      toNumberSet: (v: number[]) => ({ NS: v.map(String) }),
      fromDynamoDB: fromAttributeValue,
    },
    transform: {
      toSubscriptionFilter,
      toDynamoDBFilterExpression: unsupported('util.transform.toDynamoDBFilterExpression'),
      toDynamoDBConditionExpression: unsupported('util.transform.toDynamoDBConditionExpression'),
    },
  };
  const extensions = {
    setSubscriptionFilter(filter: SubscriptionFilter) {
      current().subscriptionFilter = JSON.parse(JSON.stringify(filter)) as SubscriptionFilter;
    },
    setSubscriptionInvalidationFilter: unsupported('extensions.setSubscriptionInvalidationFilter'),
    invalidateSubscriptions: unsupported('extensions.invalidateSubscriptions'),
    evictFromApiCache: unsupported('extensions.evictFromApiCache'),
  };
  const runtime = {
    earlyReturn(value?: unknown): never {
      throw new EarlyReturn(value ?? null);
    },
  };
  return { util, extensions, runtime };
}
