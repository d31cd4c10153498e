import type { AmplifyOutputsJson } from '@/lib/amplify/configure';
import { idToken } from '@/lib/amplify/session';

/** A non-2xx answer from our API, carrying its problem details and Retry-After. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: Record<string, string> },
    readonly retryAfterSeconds?: number,
  ) {
    super(problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** fetch() against our API with the signed-in shopper's ID token. */
export async function apiFetch(outputs: AmplifyOutputsJson, path: string, init: RequestInit = {}) {
  const token = await idToken(outputs);
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const response = await fetch(path, { ...init, headers, cache: 'no-store' });
  // 304 is an answer, not a failure: the caller asked with If-None-Match.
  if (!response.ok && response.status !== 304) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(response.status, problem, retryAfterSeconds(response));
  }
  return response;
}

/** The Retry-After header in seconds (this API only sends the delta-seconds form). */
export function retryAfterSeconds(response: Response): number | undefined {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
