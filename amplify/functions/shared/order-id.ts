/**
 * Order ids are UUIDs (see `deterministicUuid` in place-order). Checking the shape before a
 * lookup turns ids no order can have (empty, over DynamoDB's 2 KB key limit) into "not found"
 * instead of a DynamoDB ValidationException that would surface as 503.
 */
const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isOrderId(id: string): boolean {
  return ORDER_ID.test(id);
}
