import type { LocalRequest, LocalService, Logger } from '../service';
import { logCall, missingAuthenticationToken } from './aws-json';
import { asAwsError, AwsError } from './errors';
import { header, looksLikeSigV4, send } from './http';
import { checkRequired, findOperation, type OperationTable } from './operations';

/**
 * The AWS Query protocol (SNS; SQS before JSON): `POST /` with a form-encoded body
 * `Action=<Operation>&Version=<date>&<members>`, answered in XML:
 * `<OpResponse><OpResult>…</OpResult><ResponseMetadata><RequestId/></ResponseMetadata></OpResponse>`,
 * and on failure `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 * Lists travel as `Name.member.N`, maps as `Name.entry.N.key` / `.value`.
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 *
 * Every Query service shares `POST /` and the same content type, so a request is routed by the
 * service name in its SigV4 credential scope (`…/us-east-1/sns/aws4_request`), as AWS's own
 * endpoints are separate hosts.
 */
export interface AwsQueryProtocol {
  name: string;
  /** SigV4 signing name, e.g. `sns`. */
  signingName: string;
  /** The API version the client sends, e.g. `2010-03-31`. */
  version: string;
  /** `xmlns` of every response, e.g. `http://sns.amazonaws.com/doc/2010-03-31/`. */
  xmlNamespace: string;
  /** What the service calls a request that fails validation (SNS: `InvalidParameter`). */
  validationErrorType?: string;
  operations: OperationTable;
  log: Logger;
  /**
   * Actions a plain, unsigned `GET /?Action=…&…` may call, parameters in the query string (SNS's
   * SubscribeURL and UnsubscribeURL are such links: a receiver or a person just opens them).
   * Handlers tell these calls apart by `call.req.method === 'GET'`.
   */
  unsignedGetActions?: readonly string[];
}

/** A map in an operation's output: written as `<entry><key/><value/></entry>`, not as elements. */
export class XmlMap {
  constructor(readonly entries: Record<string, unknown>) {}
}
export const xmlMap = (entries: Record<string, unknown>) => new XmlMap(entries);

const CREDENTIAL_SCOPE = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;

export function awsQueryService(
  protocol: AwsQueryProtocol,
): Pick<LocalService, 'accepts' | 'handle'> {
  const isForm = (req: LocalRequest) =>
    (header(req, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded');
  const signedFor = (req: LocalRequest) =>
    CREDENTIAL_SCOPE.exec(header(req, 'authorization') ?? '')?.[1];

  const unsignedGet = (req: LocalRequest) => {
    if (req.method !== 'GET' || req.url.split('?')[0] !== '/') return false;
    const action = new URLSearchParams(req.url.split('?')[1] ?? '').get('Action') ?? '';
    return protocol.unsignedGetActions?.includes(action) === true;
  };

  return {
    accepts: (req) =>
      unsignedGet(req) ||
      (req.method === 'POST' &&
        req.url.split('?')[0] === '/' &&
        isForm(req) &&
        signedFor(req) === protocol.signingName),
    async handle(req, res) {
      const started = performance.now();
      const get = unsignedGet(req);
      const params = new URLSearchParams(
        get ? (req.url.split('?')[1] ?? '') : req.body.toString('utf8'),
      );
      const action = params.get('Action') ?? '';
      let status = 200;
      try {
        if (!get && !looksLikeSigV4(header(req, 'authorization'))) {
          throw missingAuthenticationToken();
        }
        if (!action)
          throw new AwsError('MissingAction', 'The request must contain the parameter Action.');
        const operation = findOperation(protocol.operations, action);
        if (!operation) {
          throw new AwsError(
            'InvalidAction',
            `The action ${action} is not valid for this endpoint.`,
          );
        }
        const input = decodeQueryParams(params);
        checkRequired(input, operation.required, protocol.validationErrorType ?? 'ValidationError');
        const output = await operation.handler(input, { operation: action, req });
        const result = toXml(output ?? {});
        send(
          res,
          200,
          `<${action}Response xmlns="${protocol.xmlNamespace}"><${action}Result>${result}</${action}Result>` +
            `<ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
          { 'content-type': 'text/xml' },
        );
      } catch (error) {
        const aws = asAwsError(error, protocol.log, action);
        status = aws.statusCode;
        send(
          res,
          aws.statusCode,
          `<ErrorResponse xmlns="${protocol.xmlNamespace}"><Error><Type>${aws.fault}</Type>` +
            `<Code>${escapeXml(aws.type)}</Code><Message>${escapeXml(aws.message)}</Message></Error>` +
            `<RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`,
          { 'content-type': 'text/xml' },
        );
      } finally {
        logCall(protocol.log, action, status, started);
      }
    },
  };
}

/**
 * Form parameters into the operation's input: `A.B=1` nests, `L.member.N` becomes a list in
 * index order, `M.entry.N.key` / `M.entry.N.value` (or `.Name` / `.Value`) a map. `Action` and `Version` are left out.
 */
export function decodeQueryParams(params: URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const path = key.split('.');
    let node = root;
    for (const [i, part] of path.entries()) {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= Object.create(null)) as Record<string, unknown>;
    }
  }
  return normalize(root) as Record<string, unknown>;
}

const byIndex = (node: Record<string, unknown>) =>
  Object.keys(node)
    .filter((key) => /^\d+$/.test(key))
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => node[key] as Record<string, unknown>);

function normalize(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const object = node as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1 && keys[0] === 'member' && typeof object.member === 'object') {
    return byIndex(object.member as Record<string, unknown>).map(normalize);
  }
  if (keys.length === 1 && keys[0] === 'entry' && typeof object.entry === 'object') {
    const map: Record<string, unknown> = {};
    // Most maps name their members `key`/`value`; some (SNS and SQS message attributes) name
    // them `Name`/`Value` in the model, and the wire follows the model.
    for (const entry of byIndex(object.entry as Record<string, unknown>)) {
      const key = entry?.key ?? entry?.Name;
      if (typeof key === 'string')
        map[key] = normalize(entry?.key !== undefined ? entry.value : entry.Value);
    }
    return map;
  }
  return Object.fromEntries(keys.map((key) => [key, normalize(object[key])]));
}

/** An operation's output as the Query protocol's XML: structures as elements, lists as `<member>`. */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof XmlMap) {
    return Object.entries(value.entries)
      .map(
        ([key, item]) => `<entry><key>${escapeXml(key)}</key><value>${toXml(item)}</value></entry>`,
      )
      .join('');
  }
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, item]) => item !== undefined && item !== null)
      .map(([key, item]) => `<${key}>${toXml(item)}</${key}>`)
      .join('');
  }
  return escapeXml(String(value));
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
