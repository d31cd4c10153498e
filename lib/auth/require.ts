import { problem } from '@/lib/http/problem';
import { unauthorized } from '@/lib/http/responses';
import { WAREHOUSE_GROUP } from '@/lib/orders/read-order';
import { callerFrom, type Caller } from './verify-token';

/** The caller if they are warehouse staff, else the response to send (401 or 403). */
export async function requireWarehouseStaff(request: Request): Promise<Caller | Response> {
  const caller = await callerFrom(request);
  if (!caller) return unauthorized();
  if (!caller.groups.includes(WAREHOUSE_GROUP)) {
    return problem({
      status: 403,
      title: 'Warehouse staff only',
      detail: 'Your account is not in the Warehouse group.',
    });
  }
  return caller;
}
