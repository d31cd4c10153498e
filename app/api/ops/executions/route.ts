import { requireOperator } from '@/lib/auth/require';
import { problem } from '@/lib/http/problem';
import { withCaller } from '@/lib/http/route';
import { listExecutions } from '@/lib/ops/executions';
import { parseExecutionQuery } from '@/lib/ops/execution-query';

export const dynamic = 'force-dynamic';

/** The order workflow's executions, newest first, filtered by status or found by order id. */
export const GET = withCaller(async ({ request }) => {
  const parsed = parseExecutionQuery(new URL(request.url));
  if (!parsed.ok) return problem(parsed.problem);
  const page = await listExecutions(parsed.value);
  return Response.json(page, { headers: { 'Cache-Control': 'no-store' } });
}, requireOperator);
