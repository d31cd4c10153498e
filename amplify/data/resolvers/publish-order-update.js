import { util } from '@aws-appsync/utils';

/**
 * publishOrderUpdate on a NONE data source: nothing is stored (the status recorder already wrote
 * the update to the Orders table); the arguments become the result that subscribers receive.
 */
export function request(ctx) {
  // Defence in depth behind the field's `@aws_iam`: only SigV4 callers carry a userArn.
  if (!ctx.identity || !ctx.identity.userArn) {
    util.unauthorized();
  }
  return { payload: ctx.arguments };
}

export function response(ctx) {
  return ctx.result;
}
