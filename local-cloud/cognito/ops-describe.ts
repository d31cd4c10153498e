import { createHash } from 'node:crypto';
import { assertSigned } from './ops-admin';
import { invalidParameter, resourceNotFound } from './errors';
import type { Pool } from './pools';
import type { CognitoRuntime, Operation } from './runtime';
import type { ConfiguredResource, ResourceDates } from './store';

// Read-only admin actions the AWS CLI and consoles use to look at a pool: ListUserPools,
// DescribeUserPool, ListUserPoolClients, DescribeUserPoolClient, ListGroups, GetGroup.
// API reference: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/
// (each operation's page is cited where its behaviour is chosen). Member constraints
// (ranges, patterns) are the service model's, as shipped in botocore's cognito-idp model.
//
// Only what the stand-in can answer truthfully is returned: a member the stand-in does not
// model (SchemaAttributes, token validities, group Precedence/Description/RoleArn, tags,
// domains) is left out rather than invented, which the API allows, since every member of
// these response types is optional.

// Same rule as the admin actions: these need IAM credentials in AWS ("you must use IAM
// credentials to authorize requests" on each page), so an unsigned call is refused.

/**
 * Request validation fails with InvalidParameterException (HTTP 400) in Cognito, worded like
 * AWS's own validator ("1 validation error detected: Value '0' at 'maxResults' failed to
 * satisfy constraint: ..."), with the member name in camelCase as AWS prints it.
 */
function validationError(member: string, value: unknown, constraint: string) {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return invalidParameter(
    `1 validation error detected: Value ${shown} at '${name}' failed to satisfy constraint: ${constraint}`,
  );
}

// UserPoolIdType: length 1-55, pattern [\w-]+_[0-9a-zA-Z]+.
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/**
 * A malformed id is InvalidParameterException; a well-formed unknown one is
 * ResourceNotFoundException, but only once the whole request is valid (`rt.pools.require`
 * after all members are checked), as AWS validates a request before looking anything up.
 */
function poolIdParam(input: Record<string, unknown>): string {
  const value = input.UserPoolId;
  if (value === undefined || value === null) {
    throw validationError('UserPoolId', value, 'Member must not be null');
  }
  if (typeof value !== 'string' || value.length > 55 || !USER_POOL_ID.test(value)) {
    throw validationError(
      'UserPoolId',
      value,
      'Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+',
    );
  }
  return value;
}

function requireName(input: Record<string, unknown>, member: string, maxLength: number): string {
  const value = input[member];
  if (value === undefined || value === null) {
    throw validationError(member, value, 'Member must not be null');
  }
  if (typeof value !== 'string' || value.length < 1 || value.length > maxLength) {
    throw validationError(
      member,
      value,
      `Member must have length less than or equal to ${maxLength} and greater than or equal to 1`,
    );
  }
  return value;
}

/** A page size member: an integer in [min, max]; `fallback` when the member is optional. */
function pageSize(
  input: Record<string, unknown>,
  member: string,
  range: { min: number; max: number; fallback?: number },
): number {
  const value = input[member];
  if (value === undefined || value === null) {
    if (range.fallback === undefined) {
      throw validationError(member, value, 'Member must not be null');
    }
    return range.fallback;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw validationError(member, value, 'Member must be an integer');
  }
  if (value < range.min) {
    throw validationError(
      member,
      value,
      `Member must have value greater than or equal to ${range.min}`,
    );
  }
  if (value > range.max) {
    throw validationError(
      member,
      value,
      `Member must have value less than or equal to ${range.max}`,
    );
  }
  return value;
}

/** NextToken (PaginationKey): optional, at least one character, no white space. */
function tokenParam(input: Record<string, unknown>): string | undefined {
  const token = input.NextToken;
  if (token === undefined || token === null) return undefined;
  if (typeof token !== 'string' || !/^\S+$/.test(token)) {
    throw validationError(
      'NextToken',
      token,
      'Member must satisfy regular expression pattern: [\\S]+',
    );
  }
  return token;
}

/**
 * NextToken paging. The token is opaque to clients, as in AWS; here it names the listing it
 * belongs to and the key of the first item of the next page, so a page is stable even if
 * items before it change. A token that is malformed, from another listing, or whose item no
 * longer exists (the configuration changed between calls) is refused with
 * InvalidParameterException, the error every one of these operations names for bad input;
 * restarting at page one instead could make a paginating client loop.
 */
function paginate<T>(
  items: T[],
  keyOf: (item: T) => string,
  listing: string,
  limit: number,
  token: string | undefined,
): { items: T[]; NextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    const key = decodeToken(token, listing);
    start = key === undefined ? -1 : items.findIndex((item) => keyOf(item) === key);
    if (start < 0) throw invalidParameter(`Pagination token ${token} is invalid for this request.`);
  }
  const end = start + limit;
  const next = items[end];
  return {
    items: items.slice(start, end),
    ...(next !== undefined ? { NextToken: encodeToken(listing, keyOf(next)) } : {}),
  };
}

const encodeToken = (listing: string, key: string) =>
  Buffer.from(JSON.stringify([listing, key])).toString('base64url');

function decodeToken(token: string, listing: string): string | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded[0] === listing && typeof decoded[1] === 'string') {
      return decoded[1];
    }
  } catch {
    // Not one of ours.
  }
  return undefined;
}

const digest = (settings: unknown) =>
  createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 32);

/** The settings each resource reports; when they change, its LastModifiedDate moves. */
const poolSettings = (pool: Pool) => ({
  name: pool.name,
  signInWith: pool.signInWith,
  passwordPolicy: pool.passwordPolicy,
});

interface PoolDates {
  pool: ResourceDates;
  clients: Map<string, ResourceDates>;
  groups: Map<string, ResourceDates>;
}

/**
 * CreationDate / LastModifiedDate, in epoch seconds as the JSON 1.1 wire carries timestamps.
 * Deviation from AWS: pools, clients and groups are configured, not created, so a pool's
 * creation date is when this database first served it (or its oldest user's creation, if
 * earlier: a pool cannot be younger than its users), and a resource's last-modified date is
 * when the database first saw its current settings. On a fresh `:memory:` database that is
 * the moment of the first describe call.
 */
function datesOf(rt: CognitoRuntime, pool: Pool): PoolDates {
  const now = Math.floor(rt.ctx.clock.now() / 1000);
  const firstSeen = Math.min(now, rt.store.oldestUserCreatedAt(pool.id) ?? now);
  const clients = [...pool.clients.values()];
  const groups = [...pool.groups];
  const resource = (
    kind: ConfiguredResource['kind'],
    name: string,
    settings: unknown,
  ): ConfiguredResource => ({ poolId: pool.id, kind, name, configHash: digest(settings) });
  const recorded = rt.store.resourceDates(
    resource('pool', '', poolSettings(pool)),
    [
      ...clients.map((c) => resource('client', c.id, { name: c.name, flows: [...c.flows] })),
      ...groups.map((g) => resource('group', g, { name: g })),
    ],
    firstSeen,
    now,
  );
  return {
    pool: recorded.pool,
    clients: new Map(clients.map((c, i) => [c.id, recorded.children[i]!])),
    groups: new Map(groups.map((g, i) => [g, recorded.children[clients.length + i]!])),
  };
}

const allPools = (rt: CognitoRuntime): Pool[] =>
  [...rt.pools.ids].map((id) => rt.pools.require(id));

/**
 * ListUserPools: MaxResults is required, 1-60; there is no UserPoolId, so no
 * ResourceNotFoundException. Status is deprecated in UserPoolDescriptionType and left out.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPools.html
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolDescriptionType.html
 */
export const listUserPools: Operation = async (rt, input, req) => {
  assertSigned(req);
  const limit = pageSize(input, 'MaxResults', { min: 1, max: 60 });
  const token = tokenParam(input);
  const page = paginate(allPools(rt), (pool) => pool.id, 'pools', limit, token);
  return {
    UserPools: page.items.map((pool) => {
      const { pool: dates } = datesOf(rt, pool);
      return {
        Id: pool.id,
        Name: pool.name,
        // The stand-in runs no Lambda triggers, so the truthful configuration is empty.
        LambdaConfig: {},
        LastModifiedDate: dates.updatedAt,
        CreationDate: dates.createdAt,
      };
    }),
    ...(page.NextToken ? { NextToken: page.NextToken } : {}),
  };
};

/**
 * DescribeUserPool, reporting what the stand-in enforces: the password policy, sign-in by
 * email (UsernameAttributes) or by user name with a verified email alias (AliasAttributes),
 * case-insensitive names, email verified by the sign-up code, recovery by verified email,
 * self sign-up allowed, no MFA, no triggers.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPool.html
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolType.html
 */
export const describeUserPool: Operation = async (rt, input, req) => {
  assertSigned(req);
  const pool = rt.pools.require(poolIdParam(input));
  const { pool: dates } = datesOf(rt, pool);
  const policy = pool.passwordPolicy;
  // Pool ids are `<region>_<id>`; the ARN names the pool's own region.
  const region = pool.id.slice(0, pool.id.indexOf('_'));
  return {
    UserPool: {
      Id: pool.id,
      Name: pool.name,
      Arn: `arn:aws:cognito-idp:${region}:${rt.ctx.accountId}:userpool/${pool.id}`,
      Policies: {
        PasswordPolicy: {
          MinimumLength: policy.minLength,
          RequireUppercase: policy.requireUppercase,
          RequireLowercase: policy.requireLowercase,
          RequireNumbers: policy.requireNumbers,
          RequireSymbols: policy.requireSymbols,
        },
      },
      LambdaConfig: {},
      LastModifiedDate: dates.updatedAt,
      CreationDate: dates.createdAt,
      ...(pool.signInWith === 'email'
        ? { UsernameAttributes: ['email'] }
        : { AliasAttributes: ['email'] }),
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      MfaConfiguration: 'OFF',
      // Exact here, though AWS calls it an estimate.
      EstimatedNumberOfUsers: rt.store.countUsers(pool.id),
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: 'verified_email' }] },
    },
  };
};

/**
 * ListUserPoolClients: MaxResults is optional, 1-60 (60 when absent, the most AWS returns).
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPoolClients.html
 */
export const listUserPoolClients: Operation = async (rt, input, req) => {
  assertSigned(req);
  const poolId = poolIdParam(input);
  const limit = pageSize(input, 'MaxResults', { min: 1, max: 60, fallback: 60 });
  const token = tokenParam(input);
  const pool = rt.pools.require(poolId);
  const clients = [...pool.clients.values()];
  const page = paginate(clients, (client) => client.id, `clients:${pool.id}`, limit, token);
  return {
    UserPoolClients: page.items.map((client) => ({
      ClientId: client.id,
      UserPoolId: pool.id,
      ClientName: client.name,
    })),
    ...(page.NextToken ? { NextToken: page.NextToken } : {}),
  };
};

/**
 * DescribeUserPoolClient. ExplicitAuthFlows are the ALLOW_* flows InitiateAuth enforces;
 * PreventUserExistenceErrors is on everywhere in the stand-in; RevokeToken works for every
 * client; challenge sessions last 3 minutes (AuthSessionValidity); there is no hosted UI, so
 * no OAuth. Token validities are left out: they are service-wide settings the stand-in does
 * not expose per client. No client has a secret.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolClient.html
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html
 */
export const describeUserPoolClient: Operation = async (rt, input, req) => {
  assertSigned(req);
  const poolId = poolIdParam(input);
  const clientId = requireName(input, 'ClientId', 128);
  const pool = rt.pools.require(poolId);
  const client = pool.clients.get(clientId);
  if (!client) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  const dates = datesOf(rt, pool).clients.get(client.id)!;
  return {
    UserPoolClient: {
      UserPoolId: pool.id,
      ClientName: client.name,
      ClientId: client.id,
      LastModifiedDate: dates.updatedAt,
      CreationDate: dates.createdAt,
      ExplicitAuthFlows: [...client.flows].map((flow) => `ALLOW_${flow}`),
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AuthSessionValidity: 3,
    },
  };
};

/** GroupType without Description, RoleArn and Precedence, which pools are not configured with. */
const describeGroup = (pool: Pool, name: string, dates: ResourceDates) => ({
  GroupName: name,
  UserPoolId: pool.id,
  LastModifiedDate: dates.updatedAt,
  CreationDate: dates.createdAt,
});

/**
 * ListGroups: Limit is optional and, unlike the other page sizes, 0-60 in the reference.
 * The reference does not say what 0 means; like an absent Limit it gets the full 60 here,
 * since an empty page with a NextToken would make paginators spin.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListGroups.html
 */
export const listGroups: Operation = async (rt, input, req) => {
  assertSigned(req);
  const poolId = poolIdParam(input);
  const limit = pageSize(input, 'Limit', { min: 0, max: 60, fallback: 60 }) || 60;
  const token = tokenParam(input);
  const pool = rt.pools.require(poolId);
  const dates = datesOf(rt, pool).groups;
  const page = paginate([...pool.groups], (group) => group, `groups:${pool.id}`, limit, token);
  return {
    Groups: page.items.map((group) => describeGroup(pool, group, dates.get(group)!)),
    ...(page.NextToken ? { NextToken: page.NextToken } : {}),
  };
};

/**
 * GetGroup; an unknown group is ResourceNotFoundException, worded as ops-admin.ts words it.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetGroup.html
 */
export const getGroup: Operation = async (rt, input, req) => {
  assertSigned(req);
  const poolId = poolIdParam(input);
  const group = requireName(input, 'GroupName', 128);
  const pool = rt.pools.require(poolId);
  if (!pool.groups.has(group)) throw resourceNotFound('Group not found.');
  return { Group: describeGroup(pool, group, datesOf(rt, pool).groups.get(group)!) };
};
