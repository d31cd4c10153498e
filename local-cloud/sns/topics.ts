import { effectiveTopicPolicy, parseTopicDeliveryPolicy } from './delivery-policy';
import { invalidParameter } from './errors';
import { topicArnFor, type SnsAddressing } from './naming';
import type { SnsStore, TopicRecord } from './store';

/**
 * Topics and their attributes.
 * https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
 * https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html
 */

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FEEDBACK =
  /^(HTTP|SQS|Lambda|Firehose|Application)(SuccessFeedbackRoleArn|SuccessFeedbackSampleRate|FailureFeedbackRoleArn)$/;

/**
 * What SetTopicAttributes and CreateTopic accept, each with its check. Delivery status logging
 * attributes (`HTTPSuccessFeedbackRoleArn`, …) are kept and returned; the local delivery log
 * records every attempt whatever they say.
 */
function checkAttribute(name: string, value: string): void {
  switch (name) {
    case 'DisplayName':
      if (value.length > 100) throw invalidParameter('DisplayName: at most 100 characters');
      return;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') {
        throw invalidParameter(`SignatureVersion: Invalid value [${value}], must be 1 or 2`);
      }
      return;
    case 'DeliveryPolicy':
      if (value !== '') parseTopicDeliveryPolicy(value);
      return;
    case 'Policy':
      if (!isJsonObject(value)) throw invalidParameter('Policy: not a valid JSON policy document');
      return;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') {
        throw invalidParameter('TracingConfig: must be PassThrough or Active');
      }
      return;
    case 'KmsMasterKeyId':
    case 'DataProtectionPolicy':
      return;
    case 'FifoTopic':
    case 'ContentBasedDeduplication':
    case 'FifoThroughputScope':
      // FIFO topics need ordering and deduplication across every protocol; the local cloud's
      // webhooks do not use them, so they are refused rather than half-emulated.
      if (value.toLowerCase() !== 'false') {
        throw invalidParameter(`${name}: FIFO topics are not supported by the local cloud`);
      }
      return;
    default:
      if (FEEDBACK.test(name)) {
        if (name.endsWith('SampleRate') && !/^(100|\d{1,2})$/.test(value)) {
          throw invalidParameter(`${name}: must be an integer from 0 to 100`);
        }
        return;
      }
      throw invalidParameter('AttributeName');
  }
}

function isJsonObject(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

export function checkTopicAttributes(attributes: unknown): Record<string, string> {
  if (attributes === undefined || attributes === null) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes as Record<string, unknown>)) {
    const text = String(value ?? '');
    checkAttribute(name, text);
    // FifoTopic=false on a standard topic is the default, not a setting to keep.
    if (!['FifoTopic', 'ContentBasedDeduplication', 'FifoThroughputScope'].includes(name)) {
      out[name] = text;
    }
  }
  return out;
}

/** Tags: `Tags.member.N.Key/Value` on the wire, at most 50, keys 1–128, values 0–256. */
export function checkTags(tags: unknown): Record<string, string> {
  if (tags === undefined || tags === null) return {};
  if (!Array.isArray(tags)) throw invalidParameter('Tags');
  const out: Record<string, string> = {};
  for (const tag of tags as { Key?: unknown; Value?: unknown }[]) {
    const key = tag?.Key;
    const value = tag?.Value ?? '';
    if (typeof key !== 'string' || key.length < 1 || key.length > 128) {
      throw invalidParameter('Tags: a tag key must be 1 to 128 characters');
    }
    if (typeof value !== 'string' || value.length > 256) {
      throw invalidParameter('Tags: a tag value must be at most 256 characters');
    }
    out[key] = value;
  }
  if (Object.keys(out).length > 50) throw invalidParameter('Tags: at most 50 tags per topic');
  return out;
}

/** The default access policy SNS gives a new topic (owner-only, every topic action). */
export function defaultPolicy(topicArn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

export class Topics {
  constructor(
    private readonly store: SnsStore,
    private readonly at: SnsAddressing,
  ) {}

  /**
   * CreateTopic is idempotent: the same name with the same attributes and tags (or none) returns
   * the existing ARN; different ones are refused, as SNS does.
   */
  create(name: unknown, attributesIn: unknown, tagsIn: unknown, now: number): TopicRecord {
    if (typeof name !== 'string' || name.endsWith('.fifo')) {
      if (typeof name === 'string') {
        throw invalidParameter('FifoTopic: FIFO topics are not supported by the local cloud');
      }
      throw invalidParameter('Topic Name');
    }
    if (!TOPIC_NAME.test(name)) throw invalidParameter('Topic Name');
    const attributes = checkTopicAttributes(attributesIn);
    const tags = checkTags(tagsIn);
    const arn = topicArnFor(this.at, name);
    const existing = this.store.topic(arn);
    if (existing) {
      const current: Record<string, string> = {
        Policy: defaultPolicy(arn, this.at.accountId),
        ...existing.attributes,
      };
      if (Object.entries(attributes).some(([key, value]) => current[key] !== value)) {
        throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
      }
      if (Object.entries(tags).some(([key, value]) => existing.tags[key] !== value)) {
        throw invalidParameter('Tags Reason: Topic already exists with different tags');
      }
      return existing;
    }
    const topic: TopicRecord = {
      arn,
      name,
      attributes,
      tags,
      deletedSubscriptions: 0,
      createdAt: now,
    };
    this.store.putTopic(topic);
    return topic;
  }

  get(arn: unknown): TopicRecord | undefined {
    return typeof arn === 'string' ? this.store.topic(arn) : undefined;
  }

  setAttribute(topic: TopicRecord, name: unknown, value: unknown): void {
    if (typeof name !== 'string') throw invalidParameter('AttributeName');
    const text = typeof value === 'string' ? value : '';
    checkAttribute(name, text);
    const attributes = { ...topic.attributes };
    // An empty DeliveryPolicy or DisplayName clears it.
    if (text === '' && name !== 'Policy') delete attributes[name];
    else attributes[name] = text;
    this.store.putTopic({ ...topic, attributes });
  }

  /** GetTopicAttributes: the stored attributes, SNS's defaults and the computed counts. */
  attributesOf(topic: TopicRecord): Record<string, string> {
    const subscriptions = this.store.subscriptions(topic.arn);
    const pending = subscriptions.filter((s) => s.pending).length;
    return {
      Policy: defaultPolicy(topic.arn, this.at.accountId),
      DisplayName: '',
      SignatureVersion: '1',
      TracingConfig: 'PassThrough',
      ...topic.attributes,
      TopicArn: topic.arn,
      Owner: this.at.accountId,
      SubscriptionsConfirmed: String(subscriptions.length - pending),
      SubscriptionsPending: String(pending),
      SubscriptionsDeleted: String(topic.deletedSubscriptions),
      EffectiveDeliveryPolicy: effectiveTopicPolicy(topic.attributes.DeliveryPolicy),
    };
  }
}
