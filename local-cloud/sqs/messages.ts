import { invalidParameter, sqsError } from './errors';
import type { MessageAttributes, MessageAttributeValue } from './md5';

/**
 * Characters a body or string attribute may hold: #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD
 * | #x10000–#x10FFFF. Lone surrogates are outside the list as well.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
const INVALID_CHARACTER = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function checkBody(body: unknown): string {
  if (typeof body !== 'string' || body.length === 0) {
    throw sqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
  }
  if (INVALID_CHARACTER.test(body)) {
    throw sqsError(
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  }
  return body;
}

const ATTRIBUTE_NAME = /^[A-Za-z0-9_\-.]{1,256}$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * MessageAttributes as SendMessage documents them: at most 10; names of letters, digits, `_`,
 * `-` and `.`, not starting with `AWS.`/`Amazon.`, no leading, trailing or doubled period; a
 * type of String, Number or Binary with an optional custom suffix, and the matching value.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 */
export function checkMessageAttributes(input: unknown): MessageAttributes | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw invalidParameter('MessageAttributes must be a map.');
  }
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length === 0) return undefined;
  if (entries.length > 10) {
    throw invalidParameter(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`,
    );
  }
  const out: MessageAttributes = {};
  for (const [name, raw] of entries) {
    if (
      !ATTRIBUTE_NAME.test(name) ||
      /^(aws\.|amazon\.)/i.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..')
    ) {
      throw invalidParameter(`Message (user) attribute name '${name}' is invalid.`);
    }
    out[name] = checkAttributeValue(name, raw, 'Message (user)');
  }
  return out;
}

function checkAttributeValue(name: string, raw: unknown, kind: string): MessageAttributeValue {
  const value = (raw ?? {}) as Partial<MessageAttributeValue>;
  const type = value.DataType;
  if (typeof type !== 'string' || type === '') {
    throw invalidParameter(
      `The message attribute '${name}' must contain non-empty message attribute type.`,
    );
  }
  const base = /^(String|Number|Binary)(\..+)?$/.exec(type)?.[1];
  if (!base || type.length > 256 || INVALID_CHARACTER.test(type)) {
    throw invalidParameter(
      `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  if (base === 'Binary') {
    if (typeof value.BinaryValue !== 'string' || value.BinaryValue === '') {
      throw invalidParameter(
        `${kind} attribute '${name}' must contain a non-empty value of message attribute type '${type}'.`,
      );
    }
    return { DataType: type, BinaryValue: value.BinaryValue };
  }
  const text = value.StringValue;
  if (typeof text !== 'string' || text === '') {
    throw invalidParameter(
      `${kind} attribute '${name}' must contain a non-empty value of message attribute type '${type}'.`,
    );
  }
  if (INVALID_CHARACTER.test(text)) {
    throw sqsError(
      'InvalidMessageContents',
      `${kind} attribute '${name}' contains invalid characters.`,
    );
  }
  if (base === 'Number' && !NUMBER.test(text.trim())) {
    throw invalidParameter(
      `Can't cast the value of message (user) attribute '${name}' to a number.`,
    );
  }
  return { DataType: type, StringValue: text };
}

/** MessageSystemAttributes: only AWSTraceHeader exists, a String. */
export function checkSystemAttributes(input: unknown): MessageAttributes | undefined {
  if (input === undefined || input === null) return undefined;
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length === 0) return undefined;
  const out: MessageAttributes = {};
  for (const [name, raw] of entries) {
    if (name !== 'AWSTraceHeader') {
      throw invalidParameter(`Message system attribute name '${name}' is invalid.`);
    }
    const value = checkAttributeValue(name, raw, 'Message system');
    if (value.DataType !== 'String') {
      throw invalidParameter(`Message system attribute '${name}' must be of type String.`);
    }
    out[name] = value;
  }
  return out;
}

/** What counts towards MaximumMessageSize: the body and every attribute's name, type and value. */
export function messageSize(body: string, attributes: MessageAttributes | undefined): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType, 'utf8');
    size +=
      value.StringValue !== undefined
        ? Buffer.byteLength(value.StringValue, 'utf8')
        : Buffer.from(value.BinaryValue ?? '', 'base64').length;
  }
  return size;
}

/**
 * The attributes a receiver asked for: `All` or `.*`, names, and prefixes ending in `.*`.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 */
export function selectAttributes(
  attributes: MessageAttributes | undefined,
  requested: readonly string[],
): MessageAttributes | undefined {
  if (!attributes || requested.length === 0) return undefined;
  const all = requested.some((r) => r === 'All' || r === '.*');
  const out: MessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (
      all ||
      requested.some((r) => (r.endsWith('.*') ? name.startsWith(r.slice(0, -1)) : r === name))
    ) {
      out[name] = value;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
