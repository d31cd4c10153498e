import { invalidParameter, invalidParameterValue } from './errors';
import type { Protocol } from './store';

/**
 * What Publish checks before fanning a message out: the body, the subject, message attributes
 * and their sizes, MessageStructure=json.
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
 */

export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  /** Base64, as the Query protocol carries blobs. */
  BinaryValue?: string;
}

export type MessageAttributes = Record<string, MessageAttribute>;

/** 256 KiB: the whole message, attributes included. */
export const MAX_MESSAGE_BYTES = 262_144;

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const RESERVED_PREFIX = /^(aws\.|amazon\.)/i;
const DATA_TYPE = /^(String|Number|Binary)(\..{1,249})?$/;

export function checkAttributes(input: unknown): MessageAttributes {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw invalidParameterValue('MessageAttributes must be a map');
  }
  const out: MessageAttributes = {};
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    if (
      !ATTRIBUTE_NAME.test(name) ||
      RESERVED_PREFIX.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..')
    ) {
      throw invalidParameterValue(`The message attribute name '${name}' is invalid.`);
    }
    const value = (raw ?? {}) as Record<string, unknown>;
    const type = typeof value.DataType === 'string' ? value.DataType : '';
    if (!DATA_TYPE.test(type)) {
      throw invalidParameterValue(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    if (type.startsWith('Binary')) {
      if (typeof value.BinaryValue !== 'string' || value.BinaryValue === '') {
        throw invalidParameterValue(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
        );
      }
      out[name] = { DataType: type, BinaryValue: value.BinaryValue };
      continue;
    }
    const text = value.StringValue;
    if (typeof text !== 'string' || text === '') {
      throw invalidParameterValue(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
      );
    }
    if (type.startsWith('Number') && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) {
      throw invalidParameterValue(
        `The message attribute '${name}' with type 'Number' must be a valid number.`,
      );
    }
    if (type === 'String.Array' && !isJsonArray(text)) {
      throw invalidParameterValue(
        `The message attribute '${name}' with type 'String.Array' must be a JSON array of strings, numbers, true, false or null.`,
      );
    }
    out[name] = { DataType: type, StringValue: text };
  }
  return out;
}

function isJsonArray(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as unknown;
    return (
      Array.isArray(parsed) && parsed.every((item) => item === null || typeof item !== 'object')
    );
  } catch {
    return false;
  }
}

/** Bytes a message counts against the 256 KiB limit: body, then each attribute's name, type, value. */
export function messageBytes(message: string, attributes: MessageAttributes): number {
  let size = Buffer.byteLength(message, 'utf8');
  for (const [name, attribute] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(attribute.DataType, 'utf8');
    size += attribute.BinaryValue
      ? Buffer.from(attribute.BinaryValue, 'base64').length
      : Buffer.byteLength(attribute.StringValue ?? '', 'utf8');
  }
  return size;
}

/** Subject: ASCII, starting with a letter, number or punctuation, no line breaks, ≤ 100. */
export function checkSubject(subject: unknown): string | undefined {
  if (subject === undefined || subject === null) return undefined;
  if (typeof subject !== 'string' || !/^[!-~][ -~]{0,99}$/.test(subject)) {
    throw invalidParameter('Subject');
  }
  return subject;
}

/**
 * The message body for each protocol. With MessageStructure=json the Message is a JSON object
 * with a `default` string and optional per-protocol strings (`http`, `https`, `sqs`).
 */
export function bodiesOf(message: unknown, structure: unknown): (protocol: Protocol) => string {
  if (typeof message !== 'string' || message === '') throw invalidParameter('Empty message');
  if (structure === undefined || structure === null || structure === '') return () => message;
  if (structure !== 'json') {
    throw invalidParameter(`MessageStructure - ${String(structure)} is not a valid value`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const bodies = parsed as Record<string, unknown>;
  if (typeof bodies.default !== 'string') {
    throw invalidParameter('Message Structure - No default entry in JSON message body');
  }
  return (protocol) => {
    const own = bodies[protocol];
    return typeof own === 'string' ? own : (bodies.default as string);
  };
}
