import { createHash } from 'node:crypto';

/** A message attribute as the JSON protocol carries it (`BinaryValue` in base64). */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

export const md5Hex = (data: string | Buffer): string =>
  createHash('md5').update(data).digest('hex');

function lengthPrefixed(bytes: Buffer): Buffer[] {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return [length, bytes];
}

/**
 * The digest SQS returns as MD5OfMessageAttributes (and MD5OfMessageSystemAttributes): per
 * attribute, sorted by name, the name and the data type each as a 4-byte big-endian length plus
 * UTF-8 bytes, one transport byte (1 string, 2 binary), then the value as length plus bytes.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */
export function md5OfAttributes(attributes: MessageAttributes | undefined): string | undefined {
  const names = Object.keys(attributes ?? {}).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const attribute = attributes![name]!;
    parts.push(...lengthPrefixed(Buffer.from(name, 'utf8')));
    parts.push(...lengthPrefixed(Buffer.from(attribute.DataType, 'utf8')));
    if (attribute.StringValue !== undefined) {
      parts.push(Buffer.from([1]), ...lengthPrefixed(Buffer.from(attribute.StringValue, 'utf8')));
    } else {
      parts.push(
        Buffer.from([2]),
        ...lengthPrefixed(Buffer.from(attribute.BinaryValue ?? '', 'base64')),
      );
    }
  }
  return md5Hex(Buffer.concat(parts));
}
