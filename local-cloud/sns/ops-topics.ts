import type { OperationTable } from '../core/protocols/operations';
import { xmlMap } from '../core/protocols/aws-query';
import { AwsError } from '../core/protocols/errors';
import { invalidParameter } from './errors';
import { parseTopicArn } from './naming';
import { page, requireTopic, type SnsRuntime } from './runtime';
import { checkTags } from './topics';

/** Topic life cycle, attributes and tags. */
export function topicOperations(rt: SnsRuntime): OperationTable {
  /** Tag operations name a topic by ResourceArn; anything else is not a local resource. */
  const tagged = (arn: unknown) => {
    if (typeof arn !== 'string' || !parseTopicArn(arn)) throw invalidParameter('ResourceArn');
    const topic = rt.topics.get(arn);
    if (!topic) throw new AwsError('ResourceNotFound', 'Resource does not exist', 404);
    return topic;
  };
  return {
    CreateTopic: {
      required: ['Name'],
      handler: (input) => ({
        TopicArn: rt.topics.create(input.Name, input.Attributes, input.Tags, rt.ctx.clock.now())
          .arn,
      }),
    },
    DeleteTopic: {
      required: ['TopicArn'],
      // Deleting a topic that does not exist succeeds, as the API reference allows.
      handler: (input) => {
        if (typeof input.TopicArn !== 'string' || !parseTopicArn(input.TopicArn)) {
          throw invalidParameter('TopicArn');
        }
        const topic = rt.topics.get(input.TopicArn);
        if (topic) rt.store.deleteTopic(topic.arn);
        return {};
      },
    },
    ListTopics: (input) => {
      const { items, NextToken } = page(rt.store.topics(), (t) => t.arn, input.NextToken);
      return { Topics: items.map((t) => ({ TopicArn: t.arn })), NextToken };
    },
    GetTopicAttributes: {
      required: ['TopicArn'],
      handler: (input) => ({
        Attributes: xmlMap(rt.topics.attributesOf(requireTopic(rt, input.TopicArn))),
      }),
    },
    SetTopicAttributes: {
      required: ['TopicArn', 'AttributeName'],
      handler: (input) => {
        rt.topics.setAttribute(
          requireTopic(rt, input.TopicArn),
          input.AttributeName,
          input.AttributeValue,
        );
        return {};
      },
    },
    TagResource: {
      required: ['ResourceArn', 'Tags'],
      handler: (input) => {
        const topic = tagged(input.ResourceArn);
        const tags = checkTags([
          ...Object.entries(topic.tags).map(([Key, Value]) => ({ Key, Value })),
          ...(Array.isArray(input.Tags) ? input.Tags : []),
        ]);
        rt.store.putTopic({ ...topic, tags });
        return {};
      },
    },
    UntagResource: {
      required: ['ResourceArn', 'TagKeys'],
      handler: (input) => {
        const topic = tagged(input.ResourceArn);
        const tags = { ...topic.tags };
        for (const key of Array.isArray(input.TagKeys) ? input.TagKeys : [])
          delete tags[String(key)];
        rt.store.putTopic({ ...topic, tags });
        return {};
      },
    },
    ListTagsForResource: {
      required: ['ResourceArn'],
      handler: (input) => ({
        Tags: Object.entries(tagged(input.ResourceArn).tags).map(([Key, Value]) => ({
          Key,
          Value,
        })),
      }),
    },
  };
}
