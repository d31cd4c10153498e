import { z } from 'zod';
import type { Parsed } from '@/lib/http/problem';
import { invalidQuery } from '@/lib/orders/list-orders';
import { EXECUTION_STATUSES, type ExecutionQuery } from './executions';

const listQuerySchema = z
  .object({
    status: z.enum(EXECUTION_STATUSES, `One of ${EXECUTION_STATUSES.join(', ')}.`).optional(),
    orderId: z.string().min(1).max(64).optional(),
    nextToken: z.string().min(1).max(4096).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();

/** `?status=&orderId=&nextToken=&limit=`, each at most once; anything else is a 400. */
export function parseExecutionQuery(url: URL): Parsed<ExecutionQuery> {
  const errors: Record<string, string> = {};
  const values: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    if (all.length > 1) errors[key] = `Send \`${key}\` at most once.`;
    values[key] = all[0]!;
  }
  const parsed = listQuerySchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? (issue as { keys?: string[] }).keys?.[0] ?? 'query');
      errors[key] ??= issue.code === 'unrecognized_keys' ? 'Not a known parameter.' : issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) {
    return { ok: false, problem: invalidQuery(errors) };
  }
  return { ok: true, value: parsed.data };
}
