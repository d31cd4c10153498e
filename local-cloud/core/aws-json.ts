import type { ServerResponse } from 'node:http';
import type { LocalRequest, LocalService } from './service';

/**
 * AWS JSON 1.0 / 1.1 protocol pieces shared by every JSON service (Step Functions: 1.0,
 * Cognito: 1.1). Both POST to `/` with `X-Amz-Target: <Prefix>.<Operation>`; they differ only in
 * the content type and in how errors name themselves.
 */
export type AwsJsonVersion = '1.0' | '1.1';

/** An error the client should see as a modelled AWS exception. */
export class AwsError extends Error {
  constructor(
    /** The exception name, e.g. `ExecutionDoesNotExist` (no namespace). */
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const validationError = (message: string) => new AwsError('ValidationException', message);

export function contentTypeFor(version: AwsJsonVersion): string {
  return `application/x-amz-json-${version}`;
}

/** `AWSStepFunctions.StartExecution` -> `StartExecution` when the prefix matches. */
export function targetOperation(req: LocalRequest, prefix: string): string | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(`${prefix}.`)) return undefined;
  return target.slice(prefix.length + 1);
}

/**
 * Cheap shape check of a SigV4 Authorization header. It proves the caller is an AWS SDK with
 * some credentials configured; the signature itself is not verified (dummy credentials).
 */
export function looksLikeSigV4(authorization: string | undefined): boolean {
  return (
    typeof authorization === 'string' &&
    /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/[^/]+\/aws4_request, ?SignedHeaders=[^,]+, ?Signature=[0-9a-f]{64}$/.test(
      authorization,
    )
  );
}

export function parseJsonBody(body: Buffer): Record<string, unknown> {
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

export function sendJson(
  res: ServerResponse,
  statusCode: number,
  body: unknown,
  contentType = 'application/json',
): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(statusCode, {
    'content-type': contentType,
    'content-length': payload.length,
    'x-amzn-requestid': crypto.randomUUID(),
  });
  res.end(payload);
}

/**
 * Error body as the SDKs parse it. JSON 1.0 services (Step Functions) qualify `__type` with the
 * Smithy namespace; JSON 1.1 services (Cognito) send the bare name. The SDK accepts either.
 */
export function errorBody(
  error: AwsError,
  version: AwsJsonVersion,
  namespace?: string,
): { __type: string; message: string } {
  const type = version === '1.0' && namespace ? `${namespace}#${error.type}` : error.type;
  return { __type: type, message: error.message };
}

export interface JsonServiceOptions {
  name: string;
  /** `X-Amz-Target` prefix, e.g. `AWSStepFunctions` or `AWSCognitoIdentityProviderService`. */
  targetPrefix: string;
  version: AwsJsonVersion;
  /** Smithy namespace for `__type` (JSON 1.0), e.g. `com.amazonaws.sfn`. */
  errorNamespace?: string;
  /** Reject requests without a SigV4-shaped Authorization header (`MissingAuthenticationToken`). */
  requireSigV4?: boolean;
  operations: Record<string, (input: Record<string, unknown>, req: LocalRequest) => unknown>;
  onUnexpectedError?: (error: unknown, operation: string) => void;
}

/** Routing + (de)serialisation for an AWS JSON service; a service supplies only its operations. */
export function jsonServiceHandler(
  options: JsonServiceOptions,
): Pick<LocalService, 'accepts' | 'handle'> {
  const contentType = contentTypeFor(options.version);
  return {
    accepts: (req) => targetOperation(req, options.targetPrefix) !== undefined,
    async handle(req, res) {
      const operation = targetOperation(req, options.targetPrefix) ?? '';
      try {
        if (options.requireSigV4 && !looksLikeSigV4(req.headers.authorization)) {
          throw new AwsError(
            'MissingAuthenticationTokenException',
            'Missing Authentication Token',
            403,
          );
        }
        const fn = Object.hasOwn(options.operations, operation)
          ? options.operations[operation]
          : undefined;
        if (!fn) throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`);
        const output = await fn(parseJsonBody(req.body), req);
        sendJson(res, 200, output ?? {}, contentType);
      } catch (error) {
        if (error instanceof AwsError) {
          sendJson(
            res,
            error.statusCode,
            errorBody(error, options.version, options.errorNamespace),
            contentType,
          );
          return;
        }
        options.onUnexpectedError?.(error, operation);
        const internal = new AwsError(
          'InternalServerError',
          'Internal error in the local cloud',
          500,
        );
        sendJson(
          res,
          500,
          errorBody(internal, options.version, options.errorNamespace),
          contentType,
        );
      }
    },
  };
}
