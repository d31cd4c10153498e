import { extensions, util } from '@aws-appsync/utils';

/**
 * onOrderUpdate(orderId): runs once when a client subscribes. Reads the order's owner from the
 * Orders table (DynamoDB data source) and refuses the subscription unless the caller owns the
 * order or is warehouse staff; then narrows delivery to this order's updates.
 */
export function request(ctx) {
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ orderId: ctx.args.orderId }),
    projection: { expression: '#owner', expressionNames: { '#owner': 'ownerSub' } },
  };
}

export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const claims = (ctx.identity && ctx.identity.claims) || {};
  const groups = claims['cognito:groups'] || (ctx.identity && ctx.identity.groups) || [];
  const isWarehouse = groups.includes('Warehouse');
  const ownsOrder = ctx.result != null && ctx.result.ownerSub === ctx.identity.sub;
  // A missing order and someone else's order look the same, so ids cannot be probed.
  if (!isWarehouse && !ownsOrder) {
    util.unauthorized();
  }
  extensions.setSubscriptionFilter(
    util.transform.toSubscriptionFilter({ orderId: { eq: ctx.args.orderId } }),
  );
  return null;
}
