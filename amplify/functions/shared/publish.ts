import { ENV, requireEnv } from './env';
import type { OrderUpdate } from './order-status';
import { signedPost } from './signed-fetch';

export type OrderUpdatePublisher = (update: OrderUpdate) => Promise<void>;

/**
 * Invokes the status-publisher function synchronously through Lambda's REST API
 * (`POST /2015-03-31/functions/{name}/invocations`, SigV4 service `lambda`).
 *
 * TODO(client-lambda): `@aws-sdk/client-lambda` is not a declared dependency of this project,
 * so the Invoke call is hand-signed here. Once it is added, replace the body with
 * `new LambdaClient({}).send(new InvokeCommand({ FunctionName, Payload }))`.
 */
export const invokeStatusPublisher: OrderUpdatePublisher = async (update) => {
  const functionName = requireEnv(ENV.statusPublisherFunctionName);
  const endpoint =
    process.env.AWS_ENDPOINT_URL_LAMBDA ??
    process.env.AWS_ENDPOINT_URL ??
    `https://lambda.${requireEnv(ENV.region)}.amazonaws.com`;
  const url = new URL(
    `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
    endpoint,
  );
  const response = await signedPost({
    service: 'lambda',
    url: url.toString(),
    body: JSON.stringify(update),
    headers: { 'x-amz-invocation-type': 'RequestResponse' },
  });
  const functionError = response.headers.get('x-amz-function-error');
  if (!response.ok || functionError) {
    throw new Error(
      `status-publisher failed (${response.status} ${functionError ?? ''}): ${await response.text()}`,
    );
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
