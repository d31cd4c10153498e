import { randomBytes } from 'node:crypto';
import type { LocalRequest } from '../core/service';
import { AwsJsonError, looksLikeSigV4 } from './aws-json';
import {
  invalidParameter,
  notAuthorized,
  optionalString,
  requireString,
  resourceNotFound,
  userNotFound,
} from './errors';
import type { Pool } from './pools';
import type { CognitoRuntime, Operation } from './runtime';
import type { UserRecord } from './store';
import { parseAttributes, toAttributeList } from './users';

/**
 * Admin actions need IAM credentials in AWS. Deviation: the signature is not verified here
 * (any SigV4-shaped header passes), but an unsigned call is refused as AWS would refuse it,
 * so code that forgets credentials fails locally too.
 */
export function assertSigned(req: LocalRequest) {
  if (!looksLikeSigV4(req.headers.authorization)) {
    throw new AwsJsonError(
      'MissingAuthenticationTokenException',
      'Request is missing Authentication Token',
      403,
    );
  }
}

function adminTarget(rt: CognitoRuntime, input: Record<string, unknown>, req: LocalRequest) {
  assertSigned(req);
  const pool = rt.pools.require(requireString(input, 'UserPoolId'));
  const user = rt.users.find(pool, requireString(input, 'Username'));
  if (!user) throw userNotFound();
  return { pool, user };
}

function assertGroup(pool: Pool, group: string) {
  if (!pool.groups.has(group)) throw resourceNotFound('Group not found.');
}

const describeUser = (user: UserRecord) => ({
  Username: user.username,
  Attributes: toAttributeList(user),
  UserCreateDate: user.createdAt,
  UserLastModifiedDate: user.updatedAt,
  Enabled: user.enabled,
  UserStatus: user.status,
});

/** A temporary password that satisfies the default policy, like the one Cognito emails. */
const temporaryPassword = () => `Tmp${randomBytes(6).toString('hex')}!9a`;

export const adminCreateUser: Operation = async (rt, input, req) => {
  assertSigned(req);
  const pool = rt.pools.require(requireString(input, 'UserPoolId'));
  const password = optionalString(input, 'TemporaryPassword') ?? temporaryPassword();
  const user = await rt.users.create({
    pool,
    givenUsername: requireString(input, 'Username'),
    password,
    attributes: parseAttributes(input.UserAttributes),
    status: 'FORCE_CHANGE_PASSWORD',
  });
  if (input.MessageAction !== 'SUPPRESS') {
    // Deviation from AWS: the invitation is a log line, not an email.
    rt.ctx.log.info(`cognito temporary password for ${user.email ?? user.username}: ${password}`);
  }
  return { User: describeUser(user) };
};

export const adminSetUserPassword: Operation = async (rt, input, req) => {
  const { pool, user } = adminTarget(rt, input, req);
  const permanent = input.Permanent === true;
  await rt.users.setPassword(
    pool,
    user,
    requireString(input, 'Password'),
    permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
  );
  return {};
};

export const adminConfirmSignUp: Operation = async (rt, input, req) => {
  const { user } = adminTarget(rt, input, req);
  if (user.status !== 'UNCONFIRMED') {
    throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  }
  // Like Cognito, confirming does not verify the email.
  rt.users.save({ ...user, status: 'CONFIRMED' });
  return {};
};

export const adminGetUser: Operation = async (rt, input, req) => {
  const { user } = adminTarget(rt, input, req);
  const { Attributes, ...rest } = describeUser(user);
  return { ...rest, UserAttributes: Attributes };
};

export const adminAddUserToGroup: Operation = async (rt, input, req) => {
  const { pool, user } = adminTarget(rt, input, req);
  const group = requireString(input, 'GroupName');
  assertGroup(pool, group);
  rt.store.addToGroup(pool.id, group, user.username);
  return {};
};

export const adminRemoveUserFromGroup: Operation = async (rt, input, req) => {
  const { pool, user } = adminTarget(rt, input, req);
  const group = requireString(input, 'GroupName');
  assertGroup(pool, group);
  rt.store.removeFromGroup(pool.id, group, user.username);
  return {};
};

export const adminListGroupsForUser: Operation = async (rt, input, req) => {
  const { pool, user } = adminTarget(rt, input, req);
  const groups = rt.store.groupsOf(pool.id, user.username);
  return { Groups: groups.map((GroupName) => ({ GroupName, UserPoolId: pool.id })) };
};

const FILTER = /^\s*([\w:]+)\s*(\^?=)\s*"([^"]*)"\s*$/;

/** ListUsers with Cognito's single-attribute `Filter` (`=` and `^=`) and offset paging. */
export const listUsers: Operation = async (rt, input, req) => {
  assertSigned(req);
  const pool = rt.pools.require(requireString(input, 'UserPoolId'));
  const limit = typeof input.Limit === 'number' ? input.Limit : 60;
  if (limit < 1 || limit > 60) throw invalidParameter('Limit must be between 1 and 60.');
  let users = rt.store.listUsers(pool.id);
  const filter = optionalString(input, 'Filter');
  if (filter) {
    const match = FILTER.exec(filter);
    if (!match) throw invalidParameter('Error while parsing filter.');
    const [, attribute = '', operator, value = ''] = match;
    const read = (user: UserRecord) =>
      attribute === 'username'
        ? user.username
        : attribute === 'sub'
          ? user.sub
          : attribute === 'cognito:user_status'
            ? user.status
            : (user.attributes[attribute] ?? '');
    users = users.filter((user) =>
      operator === '=' ? read(user) === value : read(user).startsWith(value),
    );
  }
  const offset = Number(optionalString(input, 'PaginationToken') ?? '0') || 0;
  const page = users.slice(offset, offset + limit);
  const next = offset + limit < users.length ? String(offset + limit) : undefined;
  return { Users: page.map(describeUser), ...(next ? { PaginationToken: next } : {}) };
};
