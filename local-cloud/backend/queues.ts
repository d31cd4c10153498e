import { CreateQueueCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { LocalQueue } from './model';

export interface DeployQueuesResult {
  created: string[];
  updated: string[];
}

/**
 * Creates the backend's queues through the SQS API, as CloudFormation does: a dead-letter queue
 * before the queues whose RedrivePolicy names it (SQS refuses a redrive target that does not
 * exist), and SetQueueAttributes for a queue that exists with other attributes (a changed
 * template), so its messages survive the restart.
 */
export async function deployQueues(
  client: SQSClient,
  queues: LocalQueue[],
): Promise<DeployQueuesResult> {
  const result: DeployQueuesResult = { created: [], updated: [] };
  for (const queue of deadLetterQueuesFirst(queues)) {
    try {
      await client.send(
        new CreateQueueCommand({ QueueName: queue.name, Attributes: queue.attributes }),
      );
      result.created.push(queue.name);
    } catch (error) {
      // CreateQueue is idempotent only for identical attributes; otherwise it answers
      // QueueNameExists (QueueAlreadyExists in the SDK's model).
      const name = (error as Error).name;
      if (name !== 'QueueNameExists' && name !== 'QueueAlreadyExists') {
        throw new Error(`Queue ${queue.name}: ${(error as Error).message}`, { cause: error });
      }
      await client.send(
        new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: queue.attributes }),
      );
      result.updated.push(queue.name);
    }
  }
  return result;
}

function deadLetterQueuesFirst(queues: LocalQueue[]): LocalQueue[] {
  const targets = new Set(
    queues.flatMap((queue) => {
      const policy = queue.attributes.RedrivePolicy;
      return policy
        ? [(JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn]
        : [];
    }),
  );
  return [...queues].sort((a, b) => Number(targets.has(b.arn)) - Number(targets.has(a.arn)));
}
