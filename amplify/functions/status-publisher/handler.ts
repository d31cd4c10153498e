import { AMPLIFY_DATA_ENDPOINT_ENV, ENV, optionalEnv } from '../shared/env';
import type { OrderUpdate } from '../shared/order-status';
import { signedPost } from '../shared/signed-fetch';
import { publishRequestBody } from './publish-mutation';

interface GraphqlResponse {
  data?: unknown;
  errors?: { errorType?: string; message: string }[];
}

/**
 * Calls the IAM-only `publishOrderUpdate` mutation with this function's role (SigV4, service
 * `appsync`). AppSync fans the result out to `onOrderUpdate(orderId)` subscribers.
 */
export async function handler(event: OrderUpdate): Promise<OrderUpdate> {
  const url = optionalEnv(ENV.appsyncGraphqlUrl) ?? optionalEnv(AMPLIFY_DATA_ENDPOINT_ENV);
  if (!url) {
    throw new Error(`Set ${ENV.appsyncGraphqlUrl} or ${AMPLIFY_DATA_ENDPOINT_ENV}`);
  }
  const response = await signedPost({ service: 'appsync', url, body: publishRequestBody(event) });
  // Throws on a body that is not JSON, as `Response.json()` did.
  const body = JSON.parse(response.body) as GraphqlResponse;
  if (!response.ok || body.errors?.length) {
    const detail = body.errors?.map((e) => `${e.errorType ?? 'Error'}: ${e.message}`).join('; ');
    throw new Error(`publishOrderUpdate failed (${response.status}): ${detail ?? 'no body'}`);
  }
  return event;
}
