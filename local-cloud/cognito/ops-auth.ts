import { randomBytes } from 'node:crypto';
import { AwsJsonError } from './aws-json';
import {
  incorrectCredentials,
  invalidParameter,
  notAuthorized,
  requireParam,
  requireString,
  stringMap,
  userNotConfirmed,
} from './errors';
import { verifyPassword } from './passwords';
import type { ExplicitAuthFlow, Pool } from './pools';
import type { CognitoRuntime, Operation } from './runtime';
import { srpBHex, startSrp, verifyPasswordClaim } from './srp';
import type { UserRecord } from './store';
import { toAttributeList } from './users';

function assertFlowAllowed(client: { flows: Set<ExplicitAuthFlow> }, flow: ExplicitAuthFlow) {
  if (!client.flows.has(flow)) throw invalidParameter(`${flow} flow not enabled for this client`);
}

function assertEnabled(user: UserRecord) {
  if (!user.enabled) throw notAuthorized('User is disabled.');
}

/** What follows a proven password: tokens, or the challenge the user's status calls for. */
async function completeSignIn(rt: CognitoRuntime, pool: Pool, clientId: string, user: UserRecord) {
  switch (user.status) {
    case 'UNCONFIRMED':
      throw userNotConfirmed();
    case 'RESET_REQUIRED':
      throw new AwsJsonError(
        'PasswordResetRequiredException',
        'Password reset required for the user',
      );
    case 'FORCE_CHANGE_PASSWORD': {
      const attributes = Object.fromEntries(
        toAttributeList(user)
          .filter(({ Name }) => Name !== 'sub' && Name !== 'email_verified')
          .map(({ Name, Value }) => [Name, Value]),
      );
      const session = rt.sessions.open({
        poolId: pool.id,
        clientId,
        username: user.username,
        challenge: { name: 'NEW_PASSWORD_REQUIRED' },
      });
      return {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeParameters: {
          USER_ID_FOR_SRP: user.username,
          requiredAttributes: '[]',
          userAttributes: JSON.stringify(attributes),
        },
      };
    }
    case 'CONFIRMED': {
      const groups = rt.store.groupsOf(pool.id, user.username);
      return {
        ChallengeParameters: {},
        AuthenticationResult: await rt.tokens.startSession(user, groups, clientId),
      };
    }
  }
}

async function refreshWith(rt: CognitoRuntime, pool: Pool, clientId: string, refreshToken: string) {
  const record = rt.tokens.lookupRefreshToken(refreshToken, clientId);
  const user = rt.store.getUser(pool.id, record.username);
  if (!user) throw notAuthorized('Invalid Refresh Token');
  assertEnabled(user);
  const groups = rt.store.groupsOf(pool.id, user.username);
  return rt.tokens.refreshSession(record, user, groups);
}

export const initiateAuth: Operation = async (rt, input) => {
  const clientId = input.ClientId as string | undefined;
  const { pool, client } = rt.pools.byClient(clientId);
  const flow = requireString(input, 'AuthFlow');
  const params = stringMap(input, 'AuthParameters');

  switch (flow) {
    case 'USER_PASSWORD_AUTH': {
      assertFlowAllowed(client, 'USER_PASSWORD_AUTH');
      const user = rt.users.find(pool, requireParam(params, 'USERNAME'));
      const password = requireParam(params, 'PASSWORD');
      // Unknown user and wrong password answer alike (PreventUserExistenceErrors).
      if (!user || !(await verifyPassword(password, user.passwordHash))) {
        throw incorrectCredentials();
      }
      assertEnabled(user);
      return completeSignIn(rt, pool, client.id, user);
    }
    case 'USER_SRP_AUTH': {
      assertFlowAllowed(client, 'USER_SRP_AUTH');
      const user = rt.users.find(pool, requireParam(params, 'USERNAME'));
      const srpA = requireParam(params, 'SRP_A');
      // Deviation from AWS: Cognito answers an unknown user with a decoy challenge and fails
      // later; here it fails at once with the same error the decoy would end in.
      if (!user?.srpVerifier || !user.srpSalt) throw incorrectCredentials();
      const srp = startSrp(srpA, user.srpVerifier);
      if (!srp) throw invalidParameter('Invalid SRP_A value.');
      const secretBlock = randomBytes(64).toString('base64');
      const session = rt.sessions.open({
        poolId: pool.id,
        clientId: client.id,
        username: user.username,
        challenge: { name: 'PASSWORD_VERIFIER', srp, secretBlock },
      });
      return {
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: session,
        ChallengeParameters: {
          SALT: user.srpSalt,
          SECRET_BLOCK: secretBlock,
          SRP_B: srpBHex(srp),
          USERNAME: user.username,
          USER_ID_FOR_SRP: user.username,
        },
      };
    }
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN': {
      assertFlowAllowed(client, 'REFRESH_TOKEN_AUTH');
      const refreshToken = requireParam(params, 'REFRESH_TOKEN');
      return {
        ChallengeParameters: {},
        AuthenticationResult: await refreshWith(rt, pool, client.id, refreshToken),
      };
    }
    case 'CUSTOM_AUTH':
      throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
    case 'USER_AUTH':
      throw invalidParameter('USER_AUTH flow not enabled for this client');
    default:
      throw invalidParameter('Initiate Auth method not supported.');
  }
};

export const respondToAuthChallenge: Operation = async (rt, input) => {
  const clientId = input.ClientId as string | undefined;
  const { pool, client } = rt.pools.byClient(clientId);
  const challengeName = requireString(input, 'ChallengeName');
  const responses = stringMap(input, 'ChallengeResponses');
  const session = rt.sessions.take(requireString(input, 'Session'));
  if (!session || session.clientId !== client.id || session.challenge.name !== challengeName) {
    throw notAuthorized('Invalid session for the user, session is expired.');
  }
  const user = rt.store.getUser(pool.id, session.username);
  if (!user) throw incorrectCredentials();
  assertEnabled(user);

  const challenge = session.challenge;
  if (challenge.name === 'PASSWORD_VERIFIER') {
    // Deviation from AWS: TIMESTAMP is bound into the signature but its freshness is not
    // checked; the one-use, 3-minute session already stops replays.
    const valid = verifyPasswordClaim({
      state: challenge.srp,
      poolName: pool.srpName,
      username: user.username,
      secretBlock: requireParam(responses, 'PASSWORD_CLAIM_SECRET_BLOCK'),
      timestamp: requireParam(responses, 'TIMESTAMP'),
      signature: requireParam(responses, 'PASSWORD_CLAIM_SIGNATURE'),
    });
    if (!valid || responses.PASSWORD_CLAIM_SECRET_BLOCK !== challenge.secretBlock) {
      throw incorrectCredentials();
    }
    return completeSignIn(rt, pool, client.id, user);
  }

  const updated = await rt.users.setPassword(
    pool,
    user,
    requireParam(responses, 'NEW_PASSWORD'),
    'CONFIRMED',
  );
  return completeSignIn(rt, pool, client.id, updated);
};

export const getTokensFromRefreshToken: Operation = async (rt, input) => {
  const { pool, client } = rt.pools.byClient(input.ClientId as string | undefined);
  const refreshToken = requireString(input, 'RefreshToken');
  return { AuthenticationResult: await refreshWith(rt, pool, client.id, refreshToken) };
};

export const revokeToken: Operation = async (rt, input) => {
  const { client } = rt.pools.byClient(input.ClientId as string | undefined);
  const record = rt.tokens.findRefreshToken(requireString(input, 'Token'));
  // RFC 7009, which RevokeToken follows: an unknown token is simply "already revoked".
  if (!record) return {};
  if (record.clientId !== client.id) {
    throw new AwsJsonError('UnauthorizedException', 'Invalid client for the token.');
  }
  rt.tokens.revokeRefreshToken(record);
  return {};
};

export const globalSignOut: Operation = async (rt, input) => {
  const { poolId, claims } = await rt.tokens.verifyAccessToken(
    requireString(input, 'AccessToken'),
    rt.pools.ids,
  );
  rt.store.revokeAllForUser(poolId, claims.username, Math.floor(rt.ctx.clock.now() / 1000));
  return {};
};
