import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** `util.dynamodb.toDynamoDB`: plain JS value to a DynamoDB attribute value. */
export function toAttributeValue(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  if (typeof value === 'object') return { M: toAttributeMap(value as Record<string, unknown>) };
  throw new Error(`Cannot convert ${typeof value} to a DynamoDB value`);
}

/** `util.dynamodb.toMapValues`: each property converted, the object itself not wrapped. */
export function toAttributeMap(values: Record<string, unknown>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) out[key] = toAttributeValue(value);
  }
  return out;
}

/** What AppSync hands the response handler as `ctx.result`: attribute values unwrapped. */
export function fromAttributeValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(fromAttributeValue);
  if (value.M !== undefined) return fromAttributeMap(value.M);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.B !== undefined) return Buffer.from(value.B).toString('base64');
  if (value.BS !== undefined) return value.BS.map((b) => Buffer.from(b).toString('base64'));
  return null;
}

export function fromAttributeMap(
  item: Record<string, AttributeValue> | undefined,
): Record<string, unknown> | null {
  if (!item) return null;
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, fromAttributeValue(v)]));
}
