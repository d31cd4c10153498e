import type { ServerResponse } from 'node:http';
import type { LocalRequest, LocalService, Logger } from '../service';
import { asAwsError, AwsError } from './errors';
import { header, looksLikeSigV4, sendJson } from './http';
import { checkRequired, findOperation, type OperationTable } from './operations';

/**
 * The AWS JSON 1.0 / 1.1 protocols (Step Functions, DynamoDB, SQS: 1.0; Cognito: 1.1): `POST /`
 * with `X-Amz-Target: <Prefix>.<Operation>` and a JSON object body; a JSON reply, and on failure
 * an error structure named by `__type` (qualified with the Smithy namespace in 1.0) and by the
 * `x-amzn-ErrorType` header. A service declares only its prefix and its operation table.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 */
export interface AwsJsonProtocol {
  /** Service name in logs and health, e.g. `stepfunctions`. */
  name: string;
  version: '1.0' | '1.1';
  /** `X-Amz-Target` prefix, e.g. `AWSStepFunctions`. */
  targetPrefix: string;
  /** Smithy namespace for `__type` in JSON 1.0 (`com.amazonaws.sfn`). */
  namespace?: string;
  /** What the service calls a request that fails its validation (`InvalidParameterException`). */
  validationErrorType?: string;
  /**
   * `awsQueryCompatible` services (SQS) also report the error code in `x-amzn-query-error:
   * <Code>;<Sender|Receiver>`, which the SDK prefers when the client sends `x-amzn-query-mode`.
   */
  queryCompatible?: boolean;
  /**
   * Runs before the operation. `'sigv4'` refuses a request without a SigV4-shaped Authorization
   * header the way most services do (403 MissingAuthenticationTokenException); a function lets a
   * service decide per operation (Cognito's public calls are unsigned).
   */
  authorize?: 'sigv4' | ((req: LocalRequest, operation: string) => void);
  operations: OperationTable;
  log: Logger;
}

export const jsonContentType = (version: '1.0' | '1.1') => `application/x-amz-json-${version}`;

export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'Request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export const missingAuthenticationToken = () =>
  new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);

export function awsJsonService(
  protocol: AwsJsonProtocol,
): Pick<LocalService, 'accepts' | 'handle'> {
  const prefix = `${protocol.targetPrefix}.`;
  const contentType = jsonContentType(protocol.version);
  const operationOf = (req: LocalRequest) => {
    const target = header(req, 'x-amz-target');
    return target?.startsWith(prefix) ? target.slice(prefix.length) : undefined;
  };

  function writeError(res: ServerResponse, error: AwsError) {
    const namespace = error.options.namespace ?? protocol.namespace;
    const type =
      protocol.version === '1.0' && namespace ? `${namespace}#${error.type}` : error.type;
    const headers: Record<string, string> = { 'x-amzn-errortype': error.type };
    if (protocol.queryCompatible) headers['x-amzn-query-error'] = `${error.type};${error.fault}`;
    sendJson(
      res,
      error.statusCode,
      { ...error.options.members, __type: type, message: error.message },
      contentType,
      headers,
    );
  }

  return {
    accepts: (req) => operationOf(req) !== undefined,
    async handle(req, res) {
      const started = performance.now();
      const name = operationOf(req) ?? '';
      let status = 200;
      try {
        if (req.method !== 'POST') {
          throw new AwsError('UnknownOperationException', `${req.method} is not supported`, 405);
        }
        if (protocol.authorize === 'sigv4') {
          if (!looksLikeSigV4(header(req, 'authorization'))) throw missingAuthenticationToken();
        } else protocol.authorize?.(req, name);
        const operation = findOperation(protocol.operations, name);
        if (!operation) {
          throw new AwsError(
            'UnknownOperationException',
            `The local ${protocol.name} does not implement ${name}`,
          );
        }
        const input = parseJsonObject(req.body);
        checkRequired(
          input,
          operation.required,
          protocol.validationErrorType ?? 'ValidationException',
        );
        const output = await operation.handler(input, { operation: name, req });
        sendJson(res, 200, output ?? {}, contentType);
      } catch (error) {
        const failure = asAwsError(error, protocol.log, name);
        status = failure.statusCode;
        writeError(res, failure as AwsError);
      } finally {
        logCall(protocol.log, name, status, started);
      }
    },
  };
}

/** One line per call, LocalStack style: `StartExecution 200 3 ms`. */
export function logCall(log: Logger, operation: string, status: number, started: number): void {
  log.debug(`${operation} ${status} ${(performance.now() - started).toFixed(1)} ms`);
}
