import type { ServerResponse } from 'node:http';
import { looksLikeSigV4 } from '../core/aws-json';
import type { LocalRequest, LocalService, ServiceContext } from '../core/service';
import { functionNameFromReference } from '../functions/naming';
import { FunctionNotFoundError, type LambdaRunner } from '../functions/runner';

/**
 * Lambda's Invoke API (REST-JSON, `POST /2015-03-31/functions/{name}/invocations`), enough for
 * `@aws-sdk/client-lambda` to call a function: the workflow's status recorder invokes the
 * status publisher this way. Handlers run in-process through the same runner the Step
 * Functions stand-in uses, so a function is loaded once whoever calls it.
 *
 * Deviations from AWS: `Event` invocations run immediately in the background with no retry
 * or DLQ; `LogResult` is never returned; SigV4 is checked for shape only (dummy credentials).
 */
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?(?:\?.*)?$/;

export function createLambdaService(ctx: ServiceContext, runner: LambdaRunner): LocalService {
  return {
    name: 'lambda',
    accepts: (req) => req.method === 'POST' && INVOKE_PATH.test(req.url),
    handle: (req, res) => invoke(ctx, runner, req, res),
    health: () => ({ ok: true }),
    close: () => {},
  };
}

async function invoke(
  ctx: ServiceContext,
  runner: LambdaRunner,
  req: LocalRequest,
  res: ServerResponse,
) {
  if (!looksLikeSigV4(header(req, 'authorization'))) {
    return sendError(
      res,
      403,
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
    );
  }
  const reference = decodeURIComponent(INVOKE_PATH.exec(req.url)![1]!);
  const name = functionNameFromReference(reference);
  if (!name || !runner.has(reference)) {
    const arn = `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name ?? reference}`;
    return sendError(res, 404, 'ResourceNotFoundException', `Function not found: ${arn}`);
  }

  let event: unknown;
  try {
    event = req.body.length === 0 ? {} : JSON.parse(req.body.toString('utf8'));
  } catch {
    return sendError(
      res,
      400,
      'InvalidRequestContentException',
      'Could not parse request body into json',
    );
  }

  const invocationType = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (invocationType === 'DryRun') {
    res.writeHead(204).end();
    return;
  }
  if (invocationType === 'Event') {
    runner.invoke(reference, event).catch((error: unknown) => {
      ctx.log.warn(`async invoke of ${name} failed`, { error: String(error) });
    });
    res.writeHead(202).end();
    return;
  }
  if (invocationType !== 'RequestResponse') {
    return sendError(
      res,
      400,
      'InvalidParameterValueException',
      `Unsupported invocation type ${invocationType}`,
    );
  }

  try {
    const result = await runner.invoke(reference, event);
    send(res, 200, JSON.stringify(result), { 'X-Amz-Executed-Version': '$LATEST' });
  } catch (error) {
    if (error instanceof FunctionNotFoundError) {
      return sendError(res, 404, 'ResourceNotFoundException', error.message);
    }
    // A handler that throws is still a 200 for Invoke: the failure travels in the payload,
    // flagged by X-Amz-Function-Error, exactly as Lambda reports unhandled errors.
    const err = error instanceof Error ? error : new Error(String(error));
    const payload = {
      errorType: err.name,
      errorMessage: err.message,
      trace: (err.stack ?? '').split('\n'),
    };
    send(res, 200, JSON.stringify(payload), {
      'X-Amz-Executed-Version': '$LATEST',
      'X-Amz-Function-Error': 'Unhandled',
    });
  }
}

function header(req: LocalRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': crypto.randomUUID(),
    ...headers,
  });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, type: string, message: string) {
  send(res, status, JSON.stringify({ Type: 'User', message }), { 'x-amzn-ErrorType': type });
}
