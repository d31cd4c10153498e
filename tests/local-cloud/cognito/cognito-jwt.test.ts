import { JwtRsaVerifier } from 'aws-jwt-verify';
import {
  JwtExpiredError,
  JwtInvalidClaimError,
  JwtInvalidSignatureError,
} from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  OTHER_CLIENT_ID,
  POOL_ID,
  STRONG_PASSWORD,
  freshEmail,
  startCognito,
  type Harness,
} from './cognito-fixtures/harness';

// aws-jwt-verify's Node fetcher is built on `https.request` and refuses `http://` JWKS URIs,
// so the local cloud's JWKS needs a fetcher on WHATWG fetch. That fetcher is equally right
// against Cognito's https URI, which keeps one verification code path for both modes.
const fetchFetcher: Fetcher = {
  fetch: async (uri) => {
    const response = await fetch(uri);
    if (!response.ok) throw new Error(`JWKS fetch ${uri} answered ${response.status}`);
    return response.arrayBuffer();
  },
};

let h: Harness;
let issuer: string;
let jwksUri: string;

beforeAll(async () => {
  h = await startCognito();
  issuer = h.service.issuerOf(POOL_ID);
  jwksUri = `${issuer}/.well-known/jwks.json`;
});

afterAll(async () => {
  await h?.close();
});

function verifiers(clientId = CLIENT_ID) {
  const jwksCache = new SimpleJwksCache({ fetcher: fetchFetcher });
  return {
    id: JwtRsaVerifier.create(
      {
        issuer,
        jwksUri,
        audience: clientId,
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== 'id') throw new Error('not an ID token');
        },
      },
      { jwksCache },
    ),
    // Cognito access tokens carry `client_id` instead of `aud`.
    access: JwtRsaVerifier.create(
      {
        issuer,
        jwksUri,
        audience: null,
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== 'access') throw new Error('not an access token');
          if (payload.client_id !== clientId) throw new Error('wrong client_id');
        },
      },
      { jwksCache },
    ),
  };
}

async function signIn(email: string) {
  await h.service.seedUser({ email, password: STRONG_PASSWORD, groups: ['Warehouse'] });
  const response = await fetch(h.baseUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      ClientId: CLIENT_ID,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: STRONG_PASSWORD },
    }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    AuthenticationResult: { IdToken: string; AccessToken: string };
  };
  return body.AuthenticationResult;
}

describe('tokens verified the way the app verifies them', () => {
  it('serves a JWKS with one RS256 signing key whose kid the tokens name', async () => {
    const jwks = (await (await fetch(jwksUri)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const tokens = await signIn(freshEmail('kid'));
    expect(decodeProtectedHeader(tokens.IdToken)).toEqual({ kid: jwks.keys[0]?.kid, alg: 'RS256' });
    expect(decodeProtectedHeader(tokens.AccessToken).kid).toBe(jwks.keys[0]?.kid);
    const discovery = (await (
      await fetch(`${issuer}/.well-known/openid-configuration`)
    ).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(discovery).toMatchObject({ issuer, jwks_uri: jwksUri });
  });

  it('verifies ID and access tokens against issuer, JWKS, client and token use', async () => {
    const tokens = await signIn(freshEmail('verify'));
    const { id, access } = verifiers();
    const idClaims = await id.verify(tokens.IdToken);
    expect(idClaims['cognito:groups']).toEqual(['Warehouse']);
    const accessClaims = await access.verify(tokens.AccessToken);
    expect(accessClaims.client_id).toBe(CLIENT_ID);

    await expect(id.verify(tokens.AccessToken)).rejects.toThrow();
    await expect(access.verify(tokens.IdToken)).rejects.toThrow('not an access token');

    const foreign = verifiers(OTHER_CLIENT_ID);
    await expect(foreign.id.verify(tokens.IdToken)).rejects.toBeInstanceOf(JwtInvalidClaimError);
    await expect(foreign.access.verify(tokens.AccessToken)).rejects.toThrow('wrong client_id');
  });

  it('refuses a tampered token', async () => {
    const tokens = await signIn(freshEmail('tamper'));
    const [header, payload, signature] = tokens.IdToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    claims['cognito:groups'] = ['Warehouse', 'Admin'];
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    await expect(verifiers().id.verify(forged)).rejects.toBeInstanceOf(JwtInvalidSignatureError);
  });

  it('refuses an expired token', async () => {
    h.advance(-2 * 3600 * 1000);
    let tokens: Awaited<ReturnType<typeof signIn>>;
    try {
      tokens = await signIn(freshEmail('old'));
    } finally {
      h.advance(2 * 3600 * 1000);
    }
    await expect(verifiers().id.verify(tokens.IdToken)).rejects.toBeInstanceOf(JwtExpiredError);
    await expect(verifiers().access.verify(tokens.AccessToken)).rejects.toBeInstanceOf(
      JwtExpiredError,
    );
  });

  it('canary: the default Node fetcher of aws-jwt-verify cannot fetch an http:// JWKS', async () => {
    const tokens = await signIn(freshEmail('canary'));
    const plain = JwtRsaVerifier.create({ issuer, jwksUri, audience: CLIENT_ID });
    await expect(plain.verify(tokens.IdToken)).rejects.toThrow(/protocol/i);
  });
});
