import { sqsError } from './errors';

/** Queue attributes as SQS stores and returns them: every value a string. */
export type QueueAttributes = Record<string, string>;

/**
 * Settable attributes with their ranges (integers, inclusive) or value sets.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};
const BOOLEANS = new Set(['SqsManagedSseEnabled', 'ContentBasedDeduplication', 'FifoQueue']);
const CHOICES: Record<string, string[]> = {
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};
const JSON_DOCUMENTS = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy']);
const FIFO_ONLY = new Set([
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);
const SETTABLE = new Set([
  ...Object.keys(RANGES),
  ...BOOLEANS,
  ...Object.keys(CHOICES),
  ...JSON_DOCUMENTS,
  'KmsMasterKeyId',
]);

/** What GetQueueAttributes computes rather than stores. */
export const COMPUTED_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

export const READABLE_ATTRIBUTES = new Set<string>([...SETTABLE, ...COMPUTED_ATTRIBUTES, 'All']);

export function defaultAttributes(fifo: boolean): QueueAttributes {
  const attributes: QueueAttributes = {
    DelaySeconds: '0',
    MaximumMessageSize: '262144',
    MessageRetentionPeriod: '345600',
    ReceiveMessageWaitTimeSeconds: '0',
    VisibilityTimeout: '30',
    // New queues get SSE-SQS by default since 2022.
    SqsManagedSseEnabled: 'true',
  };
  if (fifo) {
    Object.assign(attributes, {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
  }
  return attributes;
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export function redrivePolicyOf(attributes: QueueAttributes): RedrivePolicy | undefined {
  const text = attributes.RedrivePolicy;
  if (!text) return undefined;
  const parsed = JSON.parse(text) as { deadLetterTargetArn: string; maxReceiveCount: unknown };
  return {
    deadLetterTargetArn: parsed.deadLetterTargetArn,
    maxReceiveCount: Number(parsed.maxReceiveCount),
  };
}

const invalidValue = (name: string, reason?: string) =>
  sqsError(
    'InvalidAttributeValue',
    `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`,
  );

export interface QueueLookup {
  /** Whether the queue with this ARN exists, and whether it is FIFO. */
  byArn(arn: string): { fifo: boolean } | undefined;
}

/**
 * Checks CreateQueue's or SetQueueAttributes' `Attributes` and returns them as stored (an empty
 * string removes a JSON document, as SetQueueAttributes documents for RedrivePolicy).
 */
export function validateAttributes(
  input: unknown,
  options: { fifo: boolean; creating: boolean; queues: QueueLookup },
): QueueAttributes {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw sqsError('InvalidParameterValue', 'Attributes must be a map of strings.');
  }
  const out: QueueAttributes = {};
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const known =
      SETTABLE.has(name) &&
      (options.fifo || !FIFO_ONLY.has(name)) &&
      (options.creating || name !== 'FifoQueue');
    if (!known) throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    const value = typeof raw === 'string' ? raw : String(raw as string | number | boolean);
    if (RANGES[name]) {
      const [min, max] = RANGES[name];
      const n = Number(value);
      if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
        throw invalidValue(name, `Must be an integer from ${min} to ${max}.`);
      }
      out[name] = String(n);
    } else if (BOOLEANS.has(name)) {
      if (!/^(true|false)$/i.test(value)) throw invalidValue(name);
      out[name] = value.toLowerCase();
    } else if (CHOICES[name]) {
      if (!CHOICES[name].includes(value)) throw invalidValue(name);
      out[name] = value;
    } else if (JSON_DOCUMENTS.has(name)) {
      out[name] = value === '' ? '' : checkDocument(name, value, options);
    } else {
      out[name] = value;
    }
  }
  if (
    options.creating &&
    out.FifoQueue !== undefined &&
    (out.FifoQueue === 'true') !== options.fifo
  ) {
    throw sqsError(
      'InvalidParameterValue',
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    );
  }
  return out;
}

function checkDocument(
  name: string,
  value: string,
  options: { fifo: boolean; queues: QueueLookup },
): string {
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    throw invalidValue(name, 'The JSON is not valid.');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalidValue(name);
  const fields = doc as Record<string, unknown>;
  if (name === 'RedrivePolicy') {
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    const arn = fields.deadLetterTargetArn;
    const count = Number(fields.maxReceiveCount);
    if (typeof arn !== 'string' || fields.maxReceiveCount === undefined) {
      throw invalidValue(
        name,
        'Redrive policy must contain deadLetterTargetArn and maxReceiveCount.',
      );
    }
    if (!Number.isInteger(count) || count < 1 || count > 1000) {
      throw invalidValue(
        name,
        'Invalid value for maxReceiveCount: must be an integer from 1 to 1000.',
      );
    }
    const target = options.queues.byArn(arn);
    if (!target) throw invalidValue(name, 'Dead letter target does not exist.');
    if (target.fifo !== options.fifo) {
      throw invalidValue(name, 'Dead-letter queue must be of the same type as the source queue.');
    }
    return JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: count });
  }
  if (name === 'RedriveAllowPolicy') {
    const permission = fields.redrivePermission;
    if (!['allowAll', 'denyAll', 'byQueue'].includes(permission as string)) {
      throw invalidValue(name, 'redrivePermission must be allowAll, denyAll or byQueue.');
    }
    if (permission === 'byQueue' && !Array.isArray(fields.sourceQueueArns)) {
      throw invalidValue(name, 'byQueue needs sourceQueueArns.');
    }
  }
  return value;
}
