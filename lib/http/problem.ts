/**
 * RFC 9457 problem details: every error the API returns has this shape and media type,
 * so clients (and people reading a network log) always get a reason, never a bare status.
 */
export interface ProblemDetails {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Extension member: `section.field` → message, for form errors. */
  errors?: Record<string, string>;
  [extension: string]: unknown;
}

export function problem(details: ProblemDetails, headers: HeadersInit = {}): Response {
  return Response.json(
    { type: 'about:blank', ...details },
    {
      status: details.status,
      headers: {
        'Content-Type': 'application/problem+json',
        'Cache-Control': 'no-store',
        ...headers,
      },
    },
  );
}

/** A request read and checked: its value, or the problem to answer with. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: ProblemDetails };
