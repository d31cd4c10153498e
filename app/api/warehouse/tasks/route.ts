import { requireWarehouseStaff } from '@/lib/auth/require';
import { serviceUnavailable } from '@/lib/http/responses';
import { listWarehouseTasks } from '@/lib/orders/warehouse';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  const caller = await requireWarehouseStaff(request);
  if (caller instanceof Response) return caller;
  try {
    return Response.json(
      { tasks: await listWarehouseTasks() },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  } catch (error) {
    return serviceUnavailable(error);
  }
}
