/**
 * The runtime inside one container (a child process, or a worker thread when the runtime is
 * told to isolate by thread). Plain JavaScript on purpose: the container is a fresh Node
 * context, so neither the parent's tsx loader nor vitest's transform is there. tsx is
 * registered here, for this container only, before the handler module is imported.
 *
 * It follows Lambda's Node runtime interface client (aws/aws-lambda-nodejs-runtime-interface-
 * client, src/Runtime.js, CallbackContext.js, UserFunction.js, Errors.js):
 * - init errors are `Runtime.ImportModuleError`, `Runtime.UserCodeSyntaxError`,
 *   `Runtime.HandlerNotFound`, or the error the module threw;
 * - a handler's returned promise settles the invocation; a callback-style handler settles it
 *   through `callback`, waiting for the event loop to empty unless
 *   `context.callbackWaitsForEmptyEventLoop` is false; a non-async handler that neither
 *   returns a promise nor calls back answers null once the loop is empty;
 * - an async handler whose promise never settles while nothing else keeps the loop alive
 *   fails with `Runtime.NodeJsExit`;
 * - an uncaught exception is reported as the invocation's error, then the runtime exits
 *   (status 129); an unhandled rejection likewise as `Runtime.UnhandledPromiseRejection` (128).
 * Messages follow protocol.ts.
 */
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

const data = isMainThread ? JSON.parse(process.argv[2] ?? '{}') : workerData;
const port = isMainThread ? processPort() : workerPort();

/** The parent link, so the event loop can be let go of while an invocation runs. */
function workerPort() {
  return {
    post: (message) => parentPort.postMessage(message),
    onMessage: (listener) => parentPort.on('message', listener),
    ref: () => parentPort.ref(),
    unref: () => parentPort.unref(),
    exit: (code) => process.exit(code),
  };
}

function processPort() {
  // The local cloud went away without stopping this container: nothing can invoke it again.
  process.on('disconnect', () => process.exit(0));
  let sending = 0;
  let exitCode;
  return {
    post: (message) => {
      sending += 1;
      process.send(message, () => {
        sending -= 1;
        if (sending === 0 && exitCode !== undefined) process.exit(exitCode);
      });
    },
    onMessage: (listener) => process.on('message', listener),
    ref: () => process.channel?.ref(),
    unref: () => process.channel?.unref(),
    // process.send is asynchronous: exit only once the last report left.
    exit: (code) => {
      exitCode = code;
      if (sending === 0) process.exit(code);
    },
  };
}

function toFunctionError(error) {
  if (error instanceof Error || (error && typeof error.stack === 'string')) {
    return {
      errorType: String(error.name),
      errorMessage: String(error.message),
      trace: String(error.stack).split('\n'),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function runtimeError(name, message, cause) {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = `Runtime.${name}`;
  return error;
}

// ---- crash reporting (installed first, so errors during init are caught too)

/** The invocation in progress: { requestId, settled }. */
let current = null;

function crash(error, code) {
  port.post({
    type: 'crash',
    requestId: current?.requestId ?? null,
    error: toFunctionError(error),
  });
  port.exit(code);
}

process.on('uncaughtException', (error) => crash(error, 129));
process.on('unhandledRejection', (reason) => {
  const error = runtimeError('UnhandledPromiseRejection', String(reason));
  if (reason instanceof Error && reason.stack) error.stack = `${error.name}: ${reason.stack}`;
  crash(error, 128);
});

/** What to do when the event loop empties during an invocation (see header). */
let onEmptyLoop = null;
process.on('beforeExit', () => {
  const listener = onEmptyLoop;
  onEmptyLoop = null;
  listener?.();
});

// ---- init

const initStarted = performance.now();
const handler = await loadHandler().catch((error) => {
  port.post({ type: 'init-error', error: toFunctionError(error) });
  return null;
});
if (handler) {
  const isAsync = handler.constructor?.name === 'AsyncFunction';
  port.onMessage((message) => {
    if (message?.type === 'invoke') invoke(message, handler, isAsync);
  });
  port.post({ type: 'ready', initDurationMs: performance.now() - initStarted });
}

async function loadHandler() {
  const handlerName = `${data.codePath}.${data.exportName}`;
  let imported;
  try {
    if (/\.[cm]?tsx?$/.test(data.codePath)) {
      const { register } = await import('tsx/esm/api');
      register();
    }
    imported = await import(pathToFileURL(data.codePath).href);
  } catch (error) {
    if (error instanceof SyntaxError || /^Transform failed/.test(error?.message ?? '')) {
      throw runtimeError('UserCodeSyntaxError', String(error), error);
    }
    if (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'MODULE_NOT_FOUND') {
      throw runtimeError('ImportModuleError', String(error), error);
    }
    throw error;
  }
  const fn = imported[data.exportName];
  if (fn === undefined || fn === null) {
    throw runtimeError('HandlerNotFound', `${handlerName} is undefined or not exported`);
  }
  if (typeof fn !== 'function') {
    throw runtimeError('HandlerNotFound', `${handlerName} is not a function`);
  }
  return fn;
}

// ---- invoke

function invoke(message, handler, isAsync) {
  const { requestId } = message;
  const invocation = { requestId, settled: false };
  current = invocation;
  // While the handler runs the parent link does not keep the loop alive, so "the event loop is
  // empty" can be observed (beforeExit) exactly as in Lambda.
  port.unref();

  const settle = (report) => {
    if (invocation.settled) return;
    invocation.settled = true;
    if (current === invocation) current = null;
    onEmptyLoop = null;
    port.ref();
    port.post({ type: 'result', requestId, ...report });
  };
  const succeed = (result) => {
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result) ?? 'null';
    } catch (error) {
      return settle({ ok: false, error: toFunctionError(error) });
    }
    settle({ ok: true, payload });
  };
  const fail = (error) => settle({ ok: false, error: toFunctionError(error ?? 'handled') });

  let waitForEmptyLoop = true;
  const context = {
    functionName: data.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: String(data.memorySizeMb),
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyLoop = Boolean(value);
    },
    succeed: (result) => succeed(result),
    fail: (error) => fail(error),
    done: (error, result) =>
      error === undefined || error === null ? succeed(result) : fail(error),
  };
  let called = false;
  const callback = (error, result) => {
    if (called) return;
    called = true;
    onEmptyLoop = null;
    if (error !== undefined && error !== null) return fail(error);
    if (!waitForEmptyLoop) return succeed(result);
    onEmptyLoop = () => setImmediate(() => succeed(result));
  };
  onEmptyLoop = isAsync
    ? () =>
        fail(
          runtimeError(
            'NodeJsExit',
            'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes',
          ),
        )
    : () => succeed(null);

  try {
    const returned = handler(JSON.parse(message.payload), context, callback);
    if (returned && typeof returned.then === 'function') returned.then(succeed, fail);
  } catch (error) {
    callback(error);
  }
}
