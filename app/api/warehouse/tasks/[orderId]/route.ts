import { z } from 'zod';
import { requireWarehouseStaff } from '@/lib/auth/require';
import { problem } from '@/lib/http/problem';
import { notFound, serviceUnavailable } from '@/lib/http/responses';
import { decideTask } from '@/lib/orders/warehouse';

export const dynamic = 'force-dynamic';

const decisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('packed') }),
  z.object({ decision: z.literal('heartbeat') }),
  z.object({
    decision: z.literal('rejected'),
    reason: z.string().trim().min(1, 'Say why the order cannot be fulfilled.').max(500),
  }),
]);

/** Packed → SendTaskSuccess; rejected → SendTaskFailure(WarehouseRejected); heartbeat keeps it alive. */
export async function POST(request: Request, { params }: { params: Promise<{ orderId: string }> }) {
  const caller = await requireWarehouseStaff(request);
  if (caller instanceof Response) return caller;
  const body = await request.json().catch(() => undefined);
  const parsed = decisionSchema.safeParse(body);
  if (!parsed.success) {
    return problem({
      status: 422,
      title: 'Invalid decision',
      detail:
        'Send {"decision":"packed"}, {"decision":"heartbeat"} or {"decision":"rejected","reason":"…"}.',
    });
  }
  const { orderId } = await params;
  const decision =
    parsed.data.decision === 'rejected'
      ? { kind: 'rejected' as const, reason: parsed.data.reason }
      : { kind: parsed.data.decision };
  try {
    const result = await decideTask(caller, orderId, decision);
    if (result === 'not-found') return notFound('warehouse task');
    if (result === 'expired') {
      return problem({
        status: 409,
        title: 'This task is over',
        detail: 'The workflow already moved on (timed out or answered); the order is off the list.',
      });
    }
    return new Response(null, { status: 204 });
  } catch (error) {
    return serviceUnavailable(error);
  }
}
