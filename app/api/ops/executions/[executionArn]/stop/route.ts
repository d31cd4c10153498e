import { requireOperator } from '@/lib/auth/require';
import { problem } from '@/lib/http/problem';
import { withCaller } from '@/lib/http/route';
import { stopExecution } from '@/lib/ops/executions';
import { actionResponse } from '@/lib/ops/action-response';
import { readStopRequest } from '@/lib/ops/stop-request';

export const dynamic = 'force-dynamic';

/** Stop a running execution, with a cause. */
export const POST = withCaller<{ executionArn: string }>(async ({ request, caller, params }) => {
  const parsed = await readStopRequest(request);
  if (!parsed.ok) return problem(parsed.problem);
  const arn = decodeURIComponent(params.executionArn);
  return actionResponse(await stopExecution(arn, caller, parsed.value.cause));
}, requireOperator);
