import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { JwtClaims } from '@/local-cloud/appsync';

export const REGION = 'us-east-1';
export const POOL_ID = 'us-east-1_AppSyncT1';
export const CLIENT_ID = 'appsynctestclient000000001';
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;
const KID = 'appsync-test-key';

export interface TestUser {
  sub: string;
  username: string;
  groups?: string[];
}

export interface TokenKit {
  /** A Cognito-shaped access token, as the v6 client sends it to AppSync. */
  accessToken(
    user: TestUser,
    overrides?: { expiresInS?: number; clientId?: string },
  ): Promise<string>;
  /** What the caller wires in production: aws-jwt-verify against the pool's JWKS. */
  verify(token: string): Promise<JwtClaims>;
}

/**
 * A local key pair and JWKS standing in for the Cognito stand-in's, so the AppSync tests do
 * not depend on that service. Verification uses aws-jwt-verify exactly as the app will.
 */
export async function createTokenKit(): Promise<TokenKit> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  const verifier = CognitoJwtVerifier.create({
    userPoolId: POOL_ID,
    tokenUse: 'access',
    clientId: CLIENT_ID,
  });
  verifier.cacheJwks({ keys: [jwk as never] });
  return {
    async accessToken(user, overrides = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        'cognito:groups': user.groups,
        client_id: overrides.clientId ?? CLIENT_ID,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        auth_time: now,
        username: user.username,
        jti: crypto.randomUUID(),
      })
        .setProtectedHeader({ alg: 'RS256', kid: KID })
        .setSubject(user.sub)
        .setIssuer(ISSUER)
        .setIssuedAt(now)
        .setExpirationTime(now + (overrides.expiresInS ?? 3600))
        .sign(privateKey);
    },
    verify: (token) => verifier.verify(token) as Promise<JwtClaims>,
  };
}
