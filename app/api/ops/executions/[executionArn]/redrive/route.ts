import { requireOperator } from '@/lib/auth/require';
import { withCaller } from '@/lib/http/route';
import { redriveExecution } from '@/lib/ops/executions';
import { actionResponse } from '@/lib/ops/action-response';

export const dynamic = 'force-dynamic';

/** Redrive a failed, timed-out or stopped execution from where it stopped. */
export const POST = withCaller<{ executionArn: string }>(
  async ({ caller, params }) =>
    actionResponse(await redriveExecution(decodeURIComponent(params.executionArn), caller)),
  requireOperator,
);
