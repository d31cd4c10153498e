import { requireOperator } from '@/lib/auth/require';
import { withCaller } from '@/lib/http/route';
import { executionDetail } from '@/lib/ops/executions';
import { unknownExecution } from '@/lib/ops/unknown-execution';

export const dynamic = 'force-dynamic';

/** One execution: its definition, what it did in each state, its redacted history. */
export const GET = withCaller<{ executionArn: string }>(async ({ params }) => {
  const detail = await executionDetail(decodeURIComponent(params.executionArn));
  if (!detail) return unknownExecution();
  return Response.json(detail, { headers: { 'Cache-Control': 'no-store' } });
}, requireOperator);
