import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { loadOutputs, userPoolIssuer } from '@/lib/config/outputs';
import { fetchJwksFetcher } from './jwks-fetcher';

export interface Caller {
  sub: string;
  email?: string;
  groups: string[];
}

let verifier: ReturnType<typeof createVerifier> | undefined;

function createVerifier() {
  const outputs = loadOutputs();
  const issuer = userPoolIssuer(outputs);
  return JwtRsaVerifier.create(
    {
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      // ID tokens carry the email and groups the app shows; their audience is the client id.
      audience: outputs.auth.user_pool_client_id,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'id') throw new Error('Expected a Cognito ID token');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: fetchJwksFetcher }) },
  );
}

/** Verifies `Authorization: Bearer <Cognito ID token>`; undefined when absent or invalid. */
export async function callerFrom(request: Request): Promise<Caller | undefined> {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) return undefined;
  verifier ??= createVerifier();
  try {
    const payload = await verifier.verify(match[1]!);
    const groups = payload['cognito:groups'];
    if (!payload.sub) return undefined;
    return {
      sub: payload.sub,
      email: typeof payload.email === 'string' ? payload.email : undefined,
      groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
    };
  } catch {
    return undefined;
  }
}
