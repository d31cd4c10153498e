import type { Jwks } from 'aws-jwt-verify/jwk';
import type { ServerResponse } from 'node:http';
import { awsJsonService, jsonContentType } from '../core/protocols/aws-json';
import { sendJson } from '../core/protocols/http';
import type { OperationTable } from '../core/protocols/operations';
import type { LocalService, ServiceContext } from '../core/service';
import { createChallengeSessions } from './challenge-sessions';
import { createCodeDesk, type CodeInfo } from './codes';
import * as admin from './ops-admin';
import * as auth from './ops-auth';
import * as describe from './ops-describe';
import * as signUp from './ops-sign-up';
import * as self from './ops-user';
import { createPoolRegistry, type CognitoPoolConfig } from './pools';
import type { CognitoRuntime, Operation } from './runtime';
import { createCognitoStore } from './store';
import { createTokenService, DEFAULT_TOKEN_LIFETIMES, type TokenLifetimes } from './tokens';
import { createUserDirectory } from './users';

export interface CognitoServiceConfig {
  userPools: CognitoPoolConfig[];
  /** Called with every confirmation / reset code (tests read codes here; dev prints them). */
  onCode?: (info: CodeInfo) => void;
  tokenLifetimes?: Partial<TokenLifetimes>;
}

export interface SeedUserInput {
  email: string;
  password: string;
  groups?: string[];
  /** Defaults to the first configured pool. */
  userPoolId?: string;
}

export interface CognitoService extends LocalService {
  readonly name: 'cognito';
  /** The pool's signing keys, as `/.well-known/jwks.json` serves them. */
  jwks(userPoolId: string): Promise<Jwks>;
  /** Creates or resets a confirmed, email-verified user and puts it in the given groups. */
  seedUser(input: SeedUserInput): Promise<{ username: string; sub: string }>;
  /** The `iss` of the pool's tokens; the JWKS is at `${issuer}/.well-known/jwks.json`. */
  issuerOf(userPoolId: string): string;
}

const OPERATIONS: Record<string, Operation> = {
  SignUp: signUp.signUp,
  ConfirmSignUp: signUp.confirmSignUp,
  ResendConfirmationCode: signUp.resendConfirmationCode,
  ForgotPassword: signUp.forgotPassword,
  ConfirmForgotPassword: signUp.confirmForgotPassword,
  InitiateAuth: auth.initiateAuth,
  RespondToAuthChallenge: auth.respondToAuthChallenge,
  GetTokensFromRefreshToken: auth.getTokensFromRefreshToken,
  RevokeToken: auth.revokeToken,
  GlobalSignOut: auth.globalSignOut,
  GetUser: self.getUser,
  ChangePassword: self.changePassword,
  AdminCreateUser: admin.adminCreateUser,
  AdminSetUserPassword: admin.adminSetUserPassword,
  AdminConfirmSignUp: admin.adminConfirmSignUp,
  AdminGetUser: admin.adminGetUser,
  AdminAddUserToGroup: admin.adminAddUserToGroup,
  AdminRemoveUserFromGroup: admin.adminRemoveUserFromGroup,
  AdminListGroupsForUser: admin.adminListGroupsForUser,
  ListUsers: admin.listUsers,
  ListUserPools: describe.listUserPools,
  DescribeUserPool: describe.describeUserPool,
  ListUserPoolClients: describe.listUserPoolClients,
  DescribeUserPoolClient: describe.describeUserPoolClient,
  ListGroups: describe.listGroups,
  GetGroup: describe.getGroup,
};

export const COGNITO_OPERATIONS = Object.keys(OPERATIONS);

export function createCognitoService(
  ctx: ServiceContext,
  config: CognitoServiceConfig,
): CognitoService {
  const store = createCognitoStore(ctx.db);
  const now = () => ctx.clock.now();
  const pools = createPoolRegistry(config.userPools);
  const rt: CognitoRuntime = {
    ctx,
    store,
    pools,
    users: createUserDirectory(store, now),
    codes: createCodeDesk(store, now, ctx.log, config.onCode),
    tokens: createTokenService(ctx, store, {
      ...DEFAULT_TOKEN_LIFETIMES,
      ...config.tokenLifetimes,
    }),
    sessions: createChallengeSessions(now),
  };

  /** `/<poolId>/...` paths belong to this service (JWKS, OpenID discovery). */
  function poolPath(url: string) {
    const path = url.split('?')[0] ?? '';
    const [, poolId = '', ...rest] = path.split('/');
    return pools.get(poolId) ? { poolId, rest: rest.join('/') } : null;
  }

  const JSON_1_1 = jsonContentType('1.1');
  async function serveWellKnown(poolId: string, rest: string, res: ServerResponse) {
    if (rest === '.well-known/jwks.json') {
      sendJson(res, 200, await rt.tokens.jwks(poolId), JSON_1_1);
      return;
    }
    if (rest === '.well-known/openid-configuration') {
      const issuer = rt.tokens.issuerOf(poolId);
      sendJson(
        res,
        200,
        {
          issuer,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          id_token_signing_alg_values_supported: ['RS256'],
          subject_types_supported: ['public'],
          response_types_supported: ['code', 'token'],
        },
        JSON_1_1,
      );
      return;
    }
    sendJson(res, 404, { message: 'Not Found' });
  }

  // Each operation checks its own members with Cognito's wording; admin calls check SigV4.
  const operations: OperationTable = Object.fromEntries(
    Object.entries(OPERATIONS).map(([name, operation]) => [
      name,
      (input: Record<string, unknown>, call) => operation(rt, input, call.req),
    ]),
  );
  const api = awsJsonService({
    name: 'cognito',
    version: '1.1',
    targetPrefix: 'AWSCognitoIdentityProviderService',
    validationErrorType: 'InvalidParameterException',
    operations,
    log: ctx.log,
  });

  return {
    name: 'cognito',

    accepts: (req) => api.accepts(req) || poolPath(req.url) !== null,

    async handle(req, res) {
      const wellKnown = poolPath(req.url);
      if (wellKnown && req.method === 'GET') {
        await serveWellKnown(wellKnown.poolId, wellKnown.rest, res);
        return;
      }
      await api.handle(req, res);
    },

    health() {
      return { ok: true, detail: `${pools.ids.size} user pool(s)` };
    },

    close() {
      rt.sessions.clear();
    },

    issuerOf: (userPoolId) => rt.tokens.issuerOf(userPoolId),
    // The token service only ever writes RSA keys with e and n set.
    jwks: (userPoolId) => rt.tokens.jwks(userPoolId) as Promise<Jwks>,

    async seedUser({ email, password, groups = [], userPoolId }) {
      const pool = userPoolId ? pools.require(userPoolId) : pools.first();
      if (!pool) throw new Error('no user pool configured');
      for (const group of groups) {
        if (!pool.groups.has(group)) throw new Error(`group ${group} is not in pool ${pool.id}`);
      }
      const existing = rt.users.find(pool, email);
      const attributes = { email: email.toLowerCase(), email_verified: 'true' };
      const user = existing
        ? await rt.users.setPassword(
            pool,
            { ...existing, attributes: { ...existing.attributes, ...attributes } },
            password,
            'CONFIRMED',
          )
        : await rt.users.create({
            pool,
            givenUsername: pool.signInWith === 'email' ? email : email.split('@')[0]!,
            password,
            attributes,
            status: 'CONFIRMED',
          });
      for (const group of groups) store.addToGroup(pool.id, group, user.username);
      return { username: user.username, sub: user.sub };
    },
  };
}
