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
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(
      response.status,
      problem,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return response;
}
