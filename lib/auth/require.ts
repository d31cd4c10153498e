import { OPERATIONS_GROUP, WAREHOUSE_GROUP } from '@/amplify/auth/groups';
import { problem } from '@/lib/http/problem';
import { unauthorized } from '@/lib/http/responses';
import { callerFrom, type Caller } from './verify-token';

/** A caller check for `withCaller`: members of `group` pass; others get 401 or 403. */
function memberOf(group: string, title: string) {
  return async (request: Request): Promise<Caller | Response> => {
    const caller = await callerFrom(request);
    if (!caller) return unauthorized();
    if (!caller.groups.includes(group)) {
      return problem({
        status: 403,
        title,
        detail: `Your account is not in the ${group} group.`,
      });
    }
    return caller;
  };
}

/** The caller if they are warehouse staff, else the response to send (401 or 403). */
export const requireWarehouseStaff = memberOf(WAREHOUSE_GROUP, 'Warehouse staff only');

/** The caller if they are an operator (the operations console), else 401 or 403. */
export const requireOperator = memberOf(OPERATIONS_GROUP, 'Operators only');
