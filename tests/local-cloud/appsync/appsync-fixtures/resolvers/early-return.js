import { runtime, util as u } from '@aws-appsync/utils';

export function request(ctx) {
  if (ctx.args.skip) {
    runtime.earlyReturn({ id: 'early' });
  }
  u.appendError('kept going', 'Warning');
  return { payload: { id: u.autoId(), at: u.time.nowISO8601() } };
}

export function response(ctx) {
  return ctx.result;
}
