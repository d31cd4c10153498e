import { requireWarehouseStaff } from '@/lib/auth/require';
import { withCaller } from '@/lib/http/route';
import { listWarehouseTasks } from '@/lib/orders/warehouse';

export const dynamic = 'force-dynamic';

/** The orders waiting to be packed, oldest first; warehouse staff only. */
export const GET = withCaller(async () => {
  const tasks = await listWarehouseTasks();
  return Response.json({ tasks }, { headers: { 'Cache-Control': 'no-store' } });
}, requireWarehouseStaff);
