import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { authRulesFor, isAllowed } from '@/local-cloud/appsync/field-auth';
import type { Identity } from '@/local-cloud/appsync/identity';
import { loadResolver } from '@/local-cloud/appsync/js-runtime/load-resolver';
import {
  matchesFilter,
  toSubscriptionFilter,
} from '@/local-cloud/appsync/js-runtime/subscription-filter';
import { buildAppSyncSchema, loadSchemaFromAssembly } from '@/local-cloud/appsync';
import { ASSEMBLY_DIR } from './appsync-fixtures/harness';

const fixture = (name: string) =>
  fileURLToPath(new URL(`./appsync-fixtures/resolvers/${name}`, import.meta.url));
const state = () => ({ typeName: 'Query', fieldName: 'f', now: () => 0, appendedErrors: [] });

describe('util.transform.toSubscriptionFilter', () => {
  it('turns fields into one AND group and `or` into alternative groups', () => {
    const filter = toSubscriptionFilter({
      orderId: { eq: 'A' },
      or: [{ seq: { gt: 5 } }, { status: { in: ['FAILED', 'SHIPPED'] } }],
    });
    expect(filter.filterGroup).toHaveLength(2);
    expect(matchesFilter(filter, { orderId: 'A', seq: 6, status: 'X' })).toBe(true);
    expect(matchesFilter(filter, { orderId: 'A', seq: 1, status: 'SHIPPED' })).toBe(true);
    expect(matchesFilter(filter, { orderId: 'A', seq: 1, status: 'X' })).toBe(false);
    expect(matchesFilter(filter, { orderId: 'B', seq: 9, status: 'SHIPPED' })).toBe(false);
  });

  it('drops ignored fields and refuses unknown operators', () => {
    expect(toSubscriptionFilter({ a: { eq: 1 }, b: { eq: 2 } }, ['b'])).toEqual({
      filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: 1 }] }],
    });
    expect(() => toSubscriptionFilter({ a: { like: 1 } })).toThrow(/unsupported operator/);
  });
});

describe('APPSYNC_JS loader', () => {
  it('refuses imports other than @aws-appsync/utils, as AppSync does unbundled code', () => {
    expect(() => loadResolver(fixture('imports-other-module.js'))).toThrow(/cannot import/);
  });

  it('supports aliased imports, runtime.earlyReturn and util.appendError', () => {
    const resolver = loadResolver(fixture('early-return.js'));
    // The engine catches this and skips the data source and the response handler.
    expect(() => resolver.run('request', { args: { skip: true } }, state())).toThrow(
      expect.objectContaining({ value: { id: 'early' } }),
    );
    const s = state();
    const request = resolver.run('request', { args: {} }, s) as { payload: { at: string } };
    expect(request.payload.at).toBe('1970-01-01T00:00:00.000Z');
    expect(s.appendedErrors).toHaveLength(1);
  });
});

describe('auth directives', () => {
  const schema = buildAppSyncSchema(loadSchemaFromAssembly(ASSEMBLY_DIR));
  const userPool = (groups: string[]): Identity => ({
    mode: 'userPool',
    sub: 's',
    issuer: 'i',
    username: 'u',
    claims: {},
    groups,
    sourceIp: [],
    defaultAuthStrategy: 'ALLOW',
  });
  const rules = (type: string, field: string) => {
    const t = schema.getType(type) as ReturnType<typeof schema.getMutationType> & object;
    return authRulesFor(t, t.getFields()[field]!, 'userPool');
  };

  it('lets only IAM publish, and any signed-in user subscribe', () => {
    const publish = rules('Mutation', 'publishOrderUpdate');
    expect(publish).toEqual([{ mode: 'iam' }]);
    expect(isAllowed(publish, userPool(['Warehouse']))).toBe(false);
    expect(isAllowed(rules('Subscription', 'onOrderUpdate'), userPool([]))).toBe(true);
  });

  it('checks cognito_groups when a rule names them', () => {
    const rule = [{ mode: 'userPool' as const, groups: ['Warehouse'] }];
    expect(isAllowed(rule, userPool([]))).toBe(false);
    expect(isAllowed(rule, userPool(['Warehouse']))).toBe(true);
  });

  it('uses the type directives when a field has none, without the default mode', () => {
    const plain = buildAppSyncSchema(
      'type Query { q: T } type T @aws_iam { a: String b: String @aws_cognito_user_pools }',
    );
    const t = plain.getType('T') as ReturnType<typeof plain.getQueryType> & object;
    expect(authRulesFor(t, t.getFields().a!, 'userPool')).toEqual([{ mode: 'iam' }]);
    expect(authRulesFor(t, t.getFields().b!, 'iam')).toEqual([{ mode: 'userPool' }]);
    const q = plain.getQueryType()!;
    expect(authRulesFor(q, q.getFields().q!, 'userPool')).toEqual([{ mode: 'userPool' }]);
  });
});
