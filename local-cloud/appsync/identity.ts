import type { AppSyncAuthConfig, JwtClaims } from './config';
import { SignatureError, isSigV4, verifySigV4, type ReceivedRequest } from './sigv4-verify';

/** `ctx.identity` as AppSync builds it for each auth mode, plus the mode itself. */
export type Identity =
  | {
      mode: 'userPool';
      sub: string;
      issuer: string;
      username: string;
      claims: JwtClaims;
      groups: string[];
      sourceIp: string[];
      defaultAuthStrategy: 'ALLOW';
    }
  | {
      mode: 'iam';
      accountId: string;
      username: string;
      userArn: string;
      sourceIp: string[];
      cognitoIdentityPoolId: null;
      cognitoIdentityId: null;
      cognitoIdentityAuthType: null;
      cognitoIdentityAuthProvider: null;
    };

/** A refused caller; `status` is what AppSync's HTTP endpoint answers. */
export class AuthError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface AuthEnvironment {
  region: string;
  accountId: string;
  now: number;
  sourceIp: string;
}

export const NOT_AUTHORIZED = 'You are not authorized to make this call.';

export function lowerCaseHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

/**
 * Picks the auth mode from the request's headers as AppSync does (a SigV4 Authorization header
 * means IAM, any other Authorization header a user-pool token) and verifies it.
 */
export async function authenticate(
  auth: AppSyncAuthConfig,
  req: ReceivedRequest,
  env: AuthEnvironment,
): Promise<Identity> {
  const authorization = req.headers.authorization;
  if (isSigV4(authorization)) {
    if (!auth.iam) throw new AuthError('UnauthorizedException', NOT_AUTHORIZED, 401);
    try {
      await verifySigV4(req, { ...auth.iam, region: env.region, service: 'appsync', now: env.now });
    } catch (error) {
      // AWS answers IAM signature failures with 403 and the IAM error name, not AppSync's 401.
      if (error instanceof SignatureError) throw new AuthError(error.errorType, error.message, 403);
      throw error;
    }
    return {
      mode: 'iam',
      accountId: env.accountId,
      username: auth.iam.accessKeyId,
      userArn: `arn:aws:iam::${env.accountId}:user/local-cloud`,
      sourceIp: [env.sourceIp],
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    };
  }
  if (authorization && auth.userPool) {
    let claims: JwtClaims;
    try {
      claims = await auth.userPool.verify(authorization.replace(/^Bearer /i, ''));
    } catch (error) {
      const expired = /expir/i.test(String(error));
      throw new AuthError(
        'UnauthorizedException',
        expired ? 'Token has expired.' : NOT_AUTHORIZED,
        401,
      );
    }
    const groups = Array.isArray(claims['cognito:groups'])
      ? claims['cognito:groups'].map(String)
      : [];
    return {
      mode: 'userPool',
      sub: String(claims.sub ?? ''),
      issuer: String(claims.iss ?? ''),
      username: String(claims['cognito:username'] ?? claims.username ?? claims.sub ?? ''),
      claims,
      groups,
      sourceIp: [env.sourceIp],
      defaultAuthStrategy: 'ALLOW',
    };
  }
  throw new AuthError('UnauthorizedException', NOT_AUTHORIZED, 401);
}

/** `ctx.identity` without the local mode marker. */
export function identityForResolver(identity: Identity): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...identity };
  delete rest.mode;
  return rest;
}
