import { requireWarehouseStaff } from '@/lib/auth/require';
import { problem } from '@/lib/http/problem';
import { withCaller } from '@/lib/http/route';
import { decideTask, readTaskDecision, taskDecisionRefusal } from '@/lib/orders/warehouse';

export const dynamic = 'force-dynamic';

/** Packed → SendTaskSuccess; rejected → SendTaskFailure(WarehouseRejected); heartbeat keeps it alive. */
export const POST = withCaller<{ orderId: string }>(async ({ request, caller, params }) => {
  const parsed = await readTaskDecision(request);
  if (!parsed.ok) return problem(parsed.problem);
  const result = await decideTask(caller, params.orderId, parsed.decision);
  if (result !== 'done') return taskDecisionRefusal(result);
  return new Response(null, { status: 204 });
}, requireWarehouseStaff);
