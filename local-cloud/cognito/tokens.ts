import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
} from 'jose';
import type { ServiceContext } from '../core/service';
import { notAuthorized } from './errors';
import type { CognitoStore, RefreshTokenRecord, UserRecord } from './store';

export interface TokenLifetimes {
  accessSeconds: number;
  idSeconds: number;
  refreshSeconds: number;
}

/** Cognito's defaults (and Amplify Gen 2's): 60 min access/id tokens, 30 day refresh tokens. */
export const DEFAULT_TOKEN_LIFETIMES: TokenLifetimes = {
  accessSeconds: 3600,
  idSeconds: 3600,
  refreshSeconds: 30 * 24 * 3600,
};

export interface AuthenticationResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  username: string;
  client_id: string;
  origin_jti: string;
  token_use: 'access';
}

type KeyLike = Awaited<ReturnType<typeof importJWK>>;

const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Cognito renders verified flags as JSON booleans in ID tokens, strings everywhere else. */
function idTokenAttributes(attributes: Record<string, string>): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'sub') continue;
    claims[name] = name.endsWith('_verified') ? value === 'true' : value;
  }
  return claims;
}

export function createTokenService(
  ctx: ServiceContext,
  store: CognitoStore,
  lifetimes: TokenLifetimes = DEFAULT_TOKEN_LIFETIMES,
) {
  const keys = new Map<string, Promise<{ kid: string; privateKey: KeyLike; publicJwk: JWK }>>();
  const nowSeconds = () => Math.floor(ctx.clock.now() / 1000);

  // Deviation from AWS: Cognito's issuer is https://cognito-idp.<region>.amazonaws.com/<pool>.
  // Locally the issuer is the local cloud's own URL, so that `${iss}/.well-known/jwks.json` is a
  // URL that really serves the keys and verifiers configured from the issuer work unchanged.
  const issuerOf = (poolId: string) => `${ctx.baseUrl.replace(/\/+$/, '')}/${poolId}`;

  async function loadOrCreateKey(poolId: string) {
    let row = store.getSigningKey(poolId);
    if (!row) {
      const { privateKey, publicKey } = await generateKeyPair('RS256', {
        modulusLength: 2048,
        extractable: true,
      });
      const publicJwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(publicJwk);
      const privateJwk = await exportJWK(privateKey);
      store.putSigningKey(
        poolId,
        kid,
        JSON.stringify(privateJwk),
        JSON.stringify(publicJwk),
        ctx.clock.now(),
      );
      // Re-read: if another process won the insert race, its key is the pool's key.
      row = store.getSigningKey(poolId);
      if (!row) throw new Error(`signing key for ${poolId} was not stored`);
    }
    const privateKey = await importJWK(JSON.parse(row.privateJwk) as JWK, 'RS256');
    return { kid: row.kid, privateKey, publicJwk: JSON.parse(row.publicJwk) as JWK };
  }

  function signingKey(poolId: string) {
    let key = keys.get(poolId);
    if (!key) {
      key = loadOrCreateKey(poolId);
      keys.set(poolId, key);
      key.catch(() => keys.delete(poolId));
    }
    return key;
  }

  async function sign(poolId: string, claims: JWTPayload, iat: number, lifetime: number) {
    const { kid, privateKey } = await signingKey(poolId);
    return new SignJWT({ ...claims, iat, exp: iat + lifetime })
      .setProtectedHeader({ kid, alg: 'RS256' })
      .sign(privateKey);
  }

  async function mintTokens(
    user: UserRecord,
    groups: string[],
    session: Pick<RefreshTokenRecord, 'clientId' | 'originJti' | 'eventId' | 'authTime'>,
  ) {
    const iat = nowSeconds();
    const iss = issuerOf(user.poolId);
    const groupClaim = groups.length > 0 ? { 'cognito:groups': groups } : {};
    const idToken = await sign(
      user.poolId,
      {
        sub: user.sub,
        ...groupClaim,
        ...idTokenAttributes(user.attributes),
        iss,
        'cognito:username': user.username,
        origin_jti: session.originJti,
        aud: session.clientId,
        event_id: session.eventId,
        token_use: 'id',
        auth_time: session.authTime,
        jti: randomUUID(),
      },
      iat,
      lifetimes.idSeconds,
    );
    const accessToken = await sign(
      user.poolId,
      {
        sub: user.sub,
        ...groupClaim,
        iss,
        client_id: session.clientId,
        origin_jti: session.originJti,
        event_id: session.eventId,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        auth_time: session.authTime,
        jti: randomUUID(),
        username: user.username,
      },
      iat,
      lifetimes.accessSeconds,
    );
    return { AccessToken: accessToken, IdToken: idToken, ExpiresIn: lifetimes.accessSeconds };
  }

  return {
    issuerOf,

    async jwks(poolId: string) {
      const { kid, publicJwk } = await signingKey(poolId);
      return {
        keys: [{ alg: 'RS256', e: publicJwk.e, kid, kty: 'RSA', n: publicJwk.n, use: 'sig' }],
      };
    },

    /** A fresh sign-in: new refresh token (the session's root), ID and access tokens. */
    async startSession(user: UserRecord, groups: string[], clientId: string) {
      const refreshToken = randomBytes(48).toString('base64url');
      const authTime = nowSeconds();
      const session = {
        tokenHash: hashRefreshToken(refreshToken),
        poolId: user.poolId,
        clientId,
        username: user.username,
        originJti: randomUUID(),
        eventId: randomUUID(),
        authTime,
        expiresAt: authTime + lifetimes.refreshSeconds,
      };
      store.putRefreshToken(session);
      const tokens = await mintTokens(user, groups, session);
      const result: AuthenticationResult = {
        ...tokens,
        RefreshToken: refreshToken,
        TokenType: 'Bearer',
      };
      return result;
    },

    /** Resolves a refresh token to its session, refusing unknown, foreign, expired or revoked. */
    lookupRefreshToken(refreshToken: string, clientId: string): RefreshTokenRecord {
      const record = store.getRefreshToken(hashRefreshToken(refreshToken));
      if (!record || record.clientId !== clientId) throw notAuthorized('Invalid Refresh Token');
      if (record.revokedAt !== null) throw notAuthorized('Refresh Token has been revoked');
      if (record.expiresAt <= nowSeconds()) throw notAuthorized('Refresh Token has expired');
      return record;
    },

    /**
     * New ID/access tokens for an existing session. The refresh token is not rotated (the
     * pool default), so, like Cognito, the result carries no RefreshToken.
     */
    async refreshSession(record: RefreshTokenRecord, user: UserRecord, groups: string[]) {
      const tokens = await mintTokens(user, groups, record);
      const result: AuthenticationResult = { ...tokens, TokenType: 'Bearer' };
      return result;
    },

    findRefreshToken(refreshToken: string) {
      return store.getRefreshToken(hashRefreshToken(refreshToken));
    },

    revokeRefreshToken(record: RefreshTokenRecord) {
      store.revokeRefreshToken(record.tokenHash, nowSeconds());
    },

    /** Verifies an access token presented to GetUser & co., as Cognito does server-side. */
    async verifyAccessToken(token: string, knownPools: ReadonlySet<string>) {
      let poolId: string | undefined;
      try {
        const iss = decodeJwt(token).iss;
        poolId = iss?.slice(iss.lastIndexOf('/') + 1);
      } catch {
        throw notAuthorized('Invalid Access Token');
      }
      if (!poolId || !knownPools.has(poolId)) throw notAuthorized('Invalid Access Token');
      const { publicJwk } = await signingKey(poolId);
      let claims: AccessTokenClaims;
      try {
        const { payload } = await jwtVerify(token, await importJWK(publicJwk, 'RS256'), {
          issuer: issuerOf(poolId),
          algorithms: ['RS256'],
          currentDate: new Date(ctx.clock.now()),
        });
        claims = payload as AccessTokenClaims;
      } catch (error) {
        const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
        throw notAuthorized(expired ? 'Access Token has expired' : 'Invalid Access Token');
      }
      if (claims.token_use !== 'access') throw notAuthorized('Invalid Access Token');
      const session = store.getRefreshTokenByOrigin(claims.origin_jti);
      if (!session || session.revokedAt !== null) {
        throw notAuthorized('Access Token has been revoked');
      }
      return { poolId, claims };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
