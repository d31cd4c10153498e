import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { ddb } from './dynamodb';

export interface SignedRequest {
  /** SigV4 signing name, e.g. `appsync` or `lambda`. */
  service: string;
  url: string;
  body: string;
  headers?: Record<string, string>;
}

/**
 * POSTs a SigV4-signed JSON request with `fetch`. Credentials and region come from an AWS SDK
 * client's resolved default chain, so the Lambda role (or the local cloud's dummy keys) are used
 * exactly as an official client would use them.
 */
export async function signedPost(request: SignedRequest): Promise<Response> {
  const config = ddb().config;
  const url = new URL(request.url);
  const signer = new SignatureV4({
    service: request.service,
    region: await config.region(),
    credentials: config.credentials,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    headers: { 'content-type': 'application/json', host: url.host, ...request.headers },
    body: request.body,
  });
  return fetch(url, { method: 'POST', headers: signed.headers, body: request.body });
}
