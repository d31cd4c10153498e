import type { LocalRequest, LocalService, Logger } from '../service';
import { logCall } from './aws-json';
import { asAwsError, AwsError } from './errors';
import { header, looksLikeSigV4, send, sendJson } from './http';

/**
 * The AWS REST-JSON protocol (Lambda): the operation is chosen by method and path, members
 * travel in the path, query, headers and a JSON body; errors name themselves in the
 * `x-amzn-ErrorType` header with a JSON body `{ Type, message }`.
 * https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html
 */
export interface RestRoute {
  operation: string;
  method: string;
  /** Matched against the path (no query); named groups become `params`. */
  path: RegExp;
  handler: (call: RestCall) => Promise<RestReply> | RestReply;
}

export interface RestCall {
  req: LocalRequest;
  params: Record<string, string>;
  query: URLSearchParams;
}

/** A reply: JSON (any value) or raw bytes (Lambda's Invoke returns the function's payload). */
export interface RestReply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  raw?: Buffer | string;
}

export interface RestJsonProtocol {
  name: string;
  routes: RestRoute[];
  /** Refuse requests without a SigV4-shaped Authorization header (403, as AWS does). */
  requireSigV4?: boolean;
  log: Logger;
}

export function restJsonService(
  protocol: RestJsonProtocol,
): Pick<LocalService, 'accepts' | 'handle'> {
  const match = (req: LocalRequest) => {
    const url = new URL(req.url, 'http://local');
    for (const route of protocol.routes) {
      if (route.method !== req.method) continue;
      const found = route.path.exec(url.pathname);
      if (found) return { route, params: mapValues(found.groups ?? {}), query: url.searchParams };
    }
    return undefined;
  };

  return {
    accepts: (req) => match(req) !== undefined,
    async handle(req, res) {
      const started = performance.now();
      const matched = match(req)!;
      let status = 200;
      try {
        if (protocol.requireSigV4 && !looksLikeSigV4(header(req, 'authorization'))) {
          throw new AwsError(
            'MissingAuthenticationTokenException',
            'Missing Authentication Token',
            403,
          );
        }
        const reply = await matched.route.handler({
          req,
          params: matched.params,
          query: matched.query,
        });
        status = reply.status ?? 200;
        if (reply.raw !== undefined) {
          send(res, status, reply.raw, { 'content-type': 'application/json', ...reply.headers });
        } else if (reply.json !== undefined) {
          sendJson(res, status, reply.json, 'application/json', reply.headers);
        } else send(res, status, '', reply.headers);
      } catch (error) {
        const aws = asAwsError(error, protocol.log, matched.route.operation, 'ServiceException');
        status = aws.statusCode;
        sendJson(
          res,
          aws.statusCode,
          {
            ...aws.options.members,
            Type: aws.fault === 'Sender' ? 'User' : 'Service',
            message: aws.message,
          },
          'application/json',
          { 'x-amzn-errortype': aws.type },
        );
      } finally {
        logCall(protocol.log, matched.route.operation, status, started);
      }
    },
  };
}

function mapValues(groups: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(groups)) {
    if (value !== undefined) out[key] = decodeURIComponent(value);
  }
  return out;
}
