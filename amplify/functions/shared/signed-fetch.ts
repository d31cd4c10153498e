import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import { ddb } from './dynamodb';

export interface SignedRequest {
  /** SigV4 signing name, e.g. `appsync` or `lambda`. */
  service: string;
  url: string;
  body: string;
  headers?: Record<string, string>;
}

export interface SignedResponse {
  status: number;
  /** 2xx, as `Response.ok`. */
  ok: boolean;
  body: string;
}

/**
 * One signer per signing name for the life of the module, as a warm Lambda keeps it: the signer
 * caches its derived signing key per day, region and credentials, so only the first request of
 * a day pays for the HMAC chain. Credentials, region and the SHA-256 come from an AWS SDK
 * client's resolved config, so the Lambda role (or the local cloud's dummy keys) are used
 * exactly as an official client would use them, and hashing is the SDK's own, on Node's
 * native crypto (`@aws-crypto/sha256-js` is pure JavaScript and several times slower).
 */
const signers = new Map<string, SignatureV4>();

function signerFor(service: string): SignatureV4 {
  let signer = signers.get(service);
  if (!signer) {
    const config = ddb().config;
    signer = new SignatureV4({
      service,
      region: config.region,
      credentials: config.credentials,
      sha256: config.sha256,
    });
    signers.set(service, signer);
  }
  return signer;
}

/** Kept-alive sockets, as the SDK's own HTTP handler keeps them, instead of one per call. */
const agents = {
  'http:': new HttpAgent({ keepAlive: true }),
  'https:': new HttpsAgent({ keepAlive: true }),
};

/**
 * POSTs a SigV4-signed JSON request. Node's `http`/`https` rather than `fetch`: the WHATWG
 * layers of `fetch` (Headers, streams, Response) cost more CPU than the request itself here,
 * and this caller only needs a status and a small body.
 */
export async function signedPost(request: SignedRequest): Promise<SignedResponse> {
  const url = new URL(request.url);
  const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
  const body = Buffer.from(request.body, 'utf8');
  const signed = await signerFor(request.service).sign({
    method: 'POST',
    protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    headers: { 'content-type': 'application/json', host: url.host, ...request.headers },
    body: request.body,
  });
  const send = protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SignedResponse>((resolve, reject) => {
    const outgoing = send(
      url,
      {
        method: 'POST',
        agent: agents[protocol],
        headers: { ...signed.headers, 'content-length': String(body.length) },
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          resolve({
            status,
            ok: status >= 200 && status < 300,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
