import { problem } from './problem';

export function unauthorized(): Response {
  return problem(
    {
      status: 401,
      title: 'Sign in required',
      detail: 'Send a valid Cognito ID token as `Authorization: Bearer <token>`.',
    },
    { 'WWW-Authenticate': 'Bearer' },
  );
}

export function notFound(what = 'order'): Response {
  return problem({
    status: 404,
    title: `No such ${what}`,
    detail: `The ${what} does not exist or is not yours.`,
  });
}

/** Seconds from now until an ISO time, at least 1: the `Retry-After` header's unit. */
export function secondsUntil(iso: string, now = Date.now()): number {
  return Math.max(1, Math.ceil((Date.parse(iso) - now) / 1000));
}

/** When a dependency (DynamoDB, Step Functions) fails: tell the client to retry, log the cause. */
export function serviceUnavailable(error: unknown): Response {
  console.error('order service dependency failed', error);
  return problem(
    {
      status: 503,
      title: 'Order service unavailable',
      detail: 'Please try again in a few seconds; nothing was lost.',
    },
    { 'Retry-After': '5' },
  );
}
