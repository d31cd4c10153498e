import type { LocalFunction } from '../backend/model';
import { AwsError } from '../core/protocols/errors';
import { header } from '../core/protocols/http';
import { restJsonService, type RestCall, type RestReply } from '../core/protocols/rest-json';
import type { LocalService, ServiceContext } from '../core/service';
import { invokeInProcess } from './in-process';
import { functionNameFromReference, localFunctionArn } from './naming';
import {
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
  LambdaRuntime,
  TooManyRequestsError,
  type FunctionConfig,
  type InvokeResult,
} from './runtime';

/**
 * Lambda (REST-JSON, API version 2015-03-31): Invoke, and the read calls the AWS CLI uses to
 * look around (ListFunctions, GetFunction, GetFunctionConfiguration). It owns every function
 * of the backend; Step Functions invokes tasks through it, so one function is one set of
 * containers whoever calls it. https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 *
 * Deviations from AWS: `Event` invocations run at once in the background with no retry or
 * DLQ; `LogResult` is never returned; SigV4 is checked for shape only (dummy credentials).
 */
export interface LambdaService extends LocalService {
  readonly name: 'lambda';
  has(reference: string): boolean;
  /** Invokes a function as Invoke's RequestResponse would; throws only for a missing function or throttling. */
  invoke(reference: string, payload: unknown): Promise<InvokeResult>;
}

export interface LambdaServiceOptions {
  functions: LocalFunction[];
  /** Variables every function gets besides its own (the local endpoint and credentials). */
  baseEnvironment: Record<string, string>;
}

/**
 * Containers per function without reserved concurrency. A task handler spends most of an
 * invocation waiting on the local cloud's own APIs, so one warm container carries ~100
 * invocations/s; four cover the order workflow at the two cores' limit without spending
 * ~85 MB and a cold start on containers that would sit idle.
 */
const MAX_CONTAINERS = 2;

export function createLambdaService(
  ctx: ServiceContext,
  options: LambdaServiceOptions,
): LambdaService {
  const functions = new Map(options.functions.map((fn) => [fn.name, fn]));
  // Every function with code on disk runs in containers of its own (see runtime/index.ts).
  const runtime = new LambdaRuntime({
    region: ctx.region,
    accountId: ctx.accountId,
    log: ctx.log,
    // A function's own code does not run faster under LOCAL_CLOUD_TIME_SCALE, so its timeout
    // stays real: the scale speeds up only the waits the local cloud controls (Wait states,
    // retry backoff, heartbeats and task timeouts).
    timeScale: 1,
    maxContainers: MAX_CONTAINERS,
    functions: options.functions.flatMap((fn): FunctionConfig[] =>
      fn.code && 'path' in fn.code
        ? [
            {
              name: fn.name,
              codePath: fn.code.path,
              exportName: fn.code.exportName,
              environment: { ...options.baseEnvironment, ...fn.environment },
              timeoutSeconds: fn.timeoutSeconds,
              memorySizeMb: fn.memorySize,
              reservedConcurrency: fn.reservedConcurrency,
            },
          ]
        : [],
    ),
  });

  const find = (reference: string) => {
    const name = functionNameFromReference(reference);
    return name ? functions.get(name) : undefined;
  };
  const arnOf = (name: string) => localFunctionArn(ctx.region, name);
  const notFound = (reference: string) =>
    new AwsError(
      'ResourceNotFoundException',
      `Function not found: ${arnOf(functionNameFromReference(reference) ?? reference)}`,
      404,
    );

  async function invoke(reference: string, payload: unknown): Promise<InvokeResult> {
    const fn = find(reference);
    if (!fn?.code) throw notFound(reference);
    if ('path' in fn.code) return runtime.invoke(reference, payload);
    return invokeInProcess(fn.code.inline, payload, {
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: reference.startsWith('arn:') ? reference : arnOf(fn.name),
      awsRequestId: crypto.randomUUID(),
      memoryLimitInMB: String(fn.memorySize ?? DEFAULT_MEMORY_MB),
      callbackWaitsForEmptyEventLoop: true,
      timeoutMs: (fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    });
  }

  function configuration(fn: LocalFunction) {
    return {
      FunctionName: fn.name,
      FunctionArn: arnOf(fn.name),
      Runtime: fn.runtime,
      Handler: fn.handler,
      Timeout: fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      MemorySize: fn.memorySize ?? DEFAULT_MEMORY_MB,
      Environment: { Variables: fn.environment },
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Version: '$LATEST',
    };
  }

  async function invokeRoute({ req, params }: RestCall): Promise<RestReply> {
    const reference = params.name!;
    if (!find(reference)?.code) throw notFound(reference);
    let event: unknown;
    try {
      event = req.body.length === 0 ? {} : JSON.parse(req.body.toString('utf8'));
    } catch {
      throw new AwsError(
        'InvalidRequestContentException',
        'Could not parse request body into json',
      );
    }
    const invocationType = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
    if (invocationType === 'DryRun') return { status: 204 };
    if (invocationType === 'Event') {
      invoke(reference, event).then(
        (result) => {
          if (!result.ok) ctx.log.warn(`async invoke of ${reference} failed`, { ...result.error });
        },
        (error: unknown) =>
          ctx.log.warn(`async invoke of ${reference} failed`, { error: String(error) }),
      );
      return { status: 202 };
    }
    if (invocationType !== 'RequestResponse') {
      throw new AwsError(
        'InvalidParameterValueException',
        `Unsupported invocation type ${invocationType}`,
      );
    }
    let result: InvokeResult;
    try {
      result = await invoke(reference, event);
    } catch (error) {
      if (error instanceof TooManyRequestsError) {
        throw new AwsError('TooManyRequestsException', error.message, 429, {
          members: { Reason: error.reason },
        });
      }
      throw error;
    }
    // A function error is still a 200 for Invoke: the failure travels in the payload, flagged
    // by X-Amz-Function-Error, exactly as Lambda reports unhandled errors.
    const headers: Record<string, string> = { 'x-amz-executed-version': '$LATEST' };
    if (!result.ok) headers['x-amz-function-error'] = 'Unhandled';
    return { status: 200, headers, raw: JSON.stringify(result.ok ? result.payload : result.error) };
  }

  const http = restJsonService({
    name: 'lambda',
    log: ctx.log,
    requireSigV4: true,
    routes: [
      {
        operation: 'Invoke',
        method: 'POST',
        path: /^\/2015-03-31\/functions\/(?<name>[^/]+)\/invocations\/?$/,
        handler: invokeRoute,
      },
      {
        operation: 'ListFunctions',
        method: 'GET',
        path: /^\/2015-03-31\/functions\/?$/,
        handler: () => ({
          json: { Functions: [...functions.values()].map(configuration) },
        }),
      },
      {
        operation: 'GetFunctionConfiguration',
        method: 'GET',
        path: /^\/2015-03-31\/functions\/(?<name>[^/]+)\/configuration\/?$/,
        handler: ({ params }) => {
          const fn = find(params.name!);
          if (!fn) throw notFound(params.name!);
          return { json: configuration(fn) };
        },
      },
      {
        operation: 'GetFunction',
        method: 'GET',
        path: /^\/2015-03-31\/functions\/(?<name>[^/]+)\/?$/,
        handler: ({ params }) => {
          const fn = find(params.name!);
          if (!fn) throw notFound(params.name!);
          // No code location: the code is on this disk, not in S3.
          return { json: { Configuration: configuration(fn) } };
        },
      },
    ],
  });

  return {
    name: 'lambda',
    ...http,
    has: (reference) => find(reference)?.code !== undefined,
    invoke,
    health: () => {
      const { containers, busy } = runtime.stats();
      return {
        ok: true,
        detail: `${functions.size} function(s), ${containers} container(s), ${busy} busy`,
      };
    },
    close: () => runtime.close(),
  };
}
