import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ENV, requireEnv } from './env';
import type { OrderUpdate } from './order-status';

export type OrderUpdatePublisher = (update: OrderUpdate) => Promise<void>;

// Module scope, as a warm Lambda keeps them: the client's credentials, endpoint and sockets are
// resolved once, not per status.
const lambda = new LambdaClient({});
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Invokes the status-publisher function synchronously, so a step's updates reach AppSync in the
 * order the step recorded them. Offline, `AWS_ENDPOINT_URL` points this client at the local cloud.
 */
export const invokeStatusPublisher: OrderUpdatePublisher = async (update) => {
  const result = await lambda.send(
    new InvokeCommand({
      FunctionName: requireEnv(ENV.statusPublisherFunctionName),
      InvocationType: 'RequestResponse',
      Payload: encoder.encode(JSON.stringify(update)),
    }),
  );
  if (result.FunctionError) {
    const detail = result.Payload ? decoder.decode(result.Payload) : '';
    throw new Error(`status-publisher failed (${result.FunctionError}): ${detail}`);
  }
};

let publisher: OrderUpdatePublisher = invokeStatusPublisher;

/** Lets unit tests (and an in-process runner) replace the Lambda hop. */
export function setOrderUpdatePublisher(next: OrderUpdatePublisher): void {
  publisher = next;
}

export function resetOrderUpdatePublisher(): void {
  publisher = invokeStatusPublisher;
}

export function publishOrderUpdate(update: OrderUpdate): Promise<void> {
  return publisher(update);
}
