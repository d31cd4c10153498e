import { callerFrom, type Caller } from '@/lib/auth/verify-token';
import { serviceUnavailable, unauthorized } from './responses';

/**
 * What every API route that acts for someone does first and last, so a route reads
 * validate → call → respond: find out who is calling (or answer 401/403), and answer 503 with
 * Retry-After when a dependency throws, since the client can only retry and nothing was lost.
 * The caller check stays outside that mapping: a bad token is already a 401, and what it still
 * throws (the app has no backend configuration) is a setup error that waiting cannot fix.
 */

/** Who may call: the caller, or the response that turns them away. */
export type CallerCheck = (request: Request) => Promise<Caller | Response>;

/** Any signed-in user (a valid Cognito ID token); anyone else gets 401. */
export const signedIn: CallerCheck = async (request) =>
  (await callerFrom(request)) ?? unauthorized();

export interface CallerFrame<Params> {
  request: Request;
  caller: Caller;
  /** The route's dynamic segments, awaited. */
  params: Params;
}

type NoParams = Record<never, never>;

/**
 * Next.js passes `{ params }` as the second argument. A route without dynamic segments needs no
 * context, so it can also be called with the request alone, as the API tests do.
 */
export type RouteHandler<Params> = [keyof Params] extends [never]
  ? (request: Request) => Promise<Response>
  : (request: Request, context: { params: Promise<Params> }) => Promise<Response>;

export function withCaller<Params extends Record<string, string> = NoParams>(
  handle: (frame: CallerFrame<Params>) => Promise<Response>,
  check: CallerCheck = signedIn,
): RouteHandler<Params> {
  const route = async (request: Request, context?: { params: Promise<Params> }) => {
    const caller = await check(request);
    if (caller instanceof Response) return caller;
    const params = context ? await context.params : ({} as Params);
    try {
      return await handle({ request, caller, params });
    } catch (error) {
      return serviceUnavailable(error);
    }
  };
  return route as RouteHandler<Params>;
}
