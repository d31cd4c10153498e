import { util } from '@aws-appsync/utils';
import { helper } from './helper.js';

export function request(ctx) {
  return helper(util, ctx);
}

export function response(ctx) {
  return ctx.result;
}
