import { incorrectCredentials, notAuthorized, requireString, userNotFound } from './errors';
import { assertPasswordPolicy, verifyPassword } from './passwords';
import type { CognitoRuntime, Operation } from './runtime';
import { toAttributeList } from './users';

async function currentUser(rt: CognitoRuntime, input: Record<string, unknown>) {
  const { poolId, claims } = await rt.tokens.verifyAccessToken(
    requireString(input, 'AccessToken'),
    rt.pools.ids,
  );
  const user = rt.store.getUser(poolId, claims.username);
  if (!user) throw userNotFound();
  if (!user.enabled) throw notAuthorized('User is disabled.');
  return { pool: rt.pools.require(poolId), user };
}

export const getUser: Operation = async (rt, input) => {
  const { user } = await currentUser(rt, input);
  return { Username: user.username, UserAttributes: toAttributeList(user) };
};

export const changePassword: Operation = async (rt, input) => {
  const { pool, user } = await currentUser(rt, input);
  const previous = requireString(input, 'PreviousPassword');
  const proposed = requireString(input, 'ProposedPassword');
  assertPasswordPolicy(proposed, pool.passwordPolicy);
  if (!(await verifyPassword(previous, user.passwordHash))) throw incorrectCredentials();
  await rt.users.setPassword(pool, user, proposed, user.status);
  return {};
};
