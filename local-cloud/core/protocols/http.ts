import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalRequest } from '../service';

/** Every AWS response carries a request id; SDKs surface it in `$metadata.requestId`. */
export function send(
  res: ServerResponse,
  statusCode: number,
  body: string | Buffer,
  headers: Record<string, string | number> = {},
): void {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(statusCode, {
    'content-length': payload.length,
    'x-amzn-requestid': crypto.randomUUID(),
    ...headers,
  });
  res.end(payload);
}

export function sendJson(
  res: ServerResponse,
  statusCode: number,
  body: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): void {
  send(res, statusCode, JSON.stringify(body), { 'content-type': contentType, ...headers });
}

export function header(req: LocalRequest | IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Cheap shape check of a SigV4 Authorization header. It proves the caller is an AWS SDK with
 * some credentials configured; the signature itself is not verified (dummy credentials), except
 * by AppSync's IAM mode (see appsync/sigv4-verify.ts).
 */
export function looksLikeSigV4(authorization: string | undefined): boolean {
  return (
    typeof authorization === 'string' &&
    /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/[^/]+\/aws4_request, ?SignedHeaders=[^,]+, ?Signature=[0-9a-f]{64}$/.test(
      authorization,
    )
  );
}
