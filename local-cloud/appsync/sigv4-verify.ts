import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** A request as received, reduced to what SigV4 covers. */
export interface ReceivedRequest {
  method: string;
  /** Path and query as sent, e.g. `/graphql` or `/graphql/connect`. */
  url: string;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface SigV4Expectations {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
  now: number;
}

/** Why a signature was refused, named as AWS names the failure. */
export class SignatureError extends Error {
  constructor(
    readonly errorType: 'InvalidSignatureException' | 'UnrecognizedClientException',
    message: string,
  ) {
    super(message);
  }
}

const HEADER_PATTERN =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;
const MAX_SKEW_MS = 5 * 60_000;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your ' +
  'AWS Secret Access Key and signing method. Consult the service documentation for details.';

export const isSigV4 = (authorization: string | undefined) =>
  authorization?.startsWith('AWS4-HMAC-SHA256 ') === true;

function parseAmzDate(value: string | undefined): Date | undefined {
  const m = value?.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/**
 * Re-signs the received request with the expected secret, using the caller's own date and list
 * of signed headers, and compares the signatures: the same computation AWS performs.
 */
export async function verifySigV4(req: ReceivedRequest, expect: SigV4Expectations): Promise<void> {
  const authorization = req.headers.authorization ?? '';
  const m = authorization.match(HEADER_PATTERN);
  if (!m) throw new SignatureError('InvalidSignatureException', 'Malformed Authorization header.');
  const [, accessKeyId, day, region, service, signedHeaderList, signature] = m;
  if (accessKeyId !== expect.accessKeyId) {
    throw new SignatureError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  if (region !== expect.region || service !== expect.service) {
    throw new SignatureError(
      'InvalidSignatureException',
      `Credential should be scoped to region '${expect.region}' and service '${expect.service}'.`,
    );
  }
  const signingDate = parseAmzDate(req.headers['x-amz-date']);
  if (!signingDate || !day || !req.headers['x-amz-date']!.startsWith(day)) {
    throw new SignatureError('InvalidSignatureException', 'Missing or malformed X-Amz-Date.');
  }
  if (Math.abs(expect.now - signingDate.getTime()) > MAX_SKEW_MS) {
    throw new SignatureError('InvalidSignatureException', 'Signature expired or not yet valid.');
  }
  const signedHeaders = signedHeaderList!.split(';');
  if (!signedHeaders.includes('host'))
    throw new SignatureError('InvalidSignatureException', MISMATCH);
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = req.headers[name];
    if (value === undefined) throw new SignatureError('InvalidSignatureException', MISMATCH);
    headers[name] = value;
  }
  // The signer trusts a signed x-amz-content-sha256 header instead of hashing the body, so
  // the header must be checked against the body actually received.
  const declaredHash = headers['x-amz-content-sha256'];
  if (declaredHash !== undefined) {
    const bodyHash = createHash('sha256').update(req.body).digest('hex');
    if (declaredHash !== bodyHash) throw new SignatureError('InvalidSignatureException', MISMATCH);
  }
  const url = new URL(req.url, 'http://placeholder');
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [...[existing].flat(), value];
  }
  const signer = new SignatureV4({
    service: expect.service,
    region: expect.region,
    credentials: { accessKeyId: expect.accessKeyId, secretAccessKey: expect.secretAccessKey },
    sha256: Sha256,
  });
  const resigned = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: headers.host!.split(':')[0]!,
      path: url.pathname,
      query,
      headers,
      body: req.body,
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expected = String(resigned.headers.authorization ?? '').match(
    /Signature=([0-9a-f]{64})/,
  )?.[1];
  if (!expected || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature!))) {
    throw new SignatureError('InvalidSignatureException', MISMATCH);
  }
}
