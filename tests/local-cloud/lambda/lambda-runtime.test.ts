import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  FunctionNotFoundError,
  LambdaRuntime,
  LOCAL_MAX_CONTAINERS,
  TooManyRequestsError,
  type FunctionConfig,
  type InvokeResult,
  type Isolation,
  type LambdaRuntimeOptions,
} from '../../../local-cloud/lambda/runtime';

const FIXTURES = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'runtime-functions',
);
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A function running fixture `code`; small timeouts keep the suite fast. */
function fn(name: string, code: string, extra: Partial<FunctionConfig> = {}): FunctionConfig {
  return {
    name,
    codePath: path.join(FIXTURES, code, 'handler.ts'),
    environment: {},
    timeoutSeconds: 1,
    ...extra,
  };
}

const started: LambdaRuntime[] = [];
function runtime(
  functions: FunctionConfig[],
  options: Partial<LambdaRuntimeOptions> = {},
): LambdaRuntime {
  const created = new LambdaRuntime({
    region: REGION,
    accountId: ACCOUNT,
    functions,
    log: silent,
    ...options,
  });
  started.push(created);
  return created;
}
afterAll(() => Promise.all(started.map((created) => created.close())));

function payloadOf<T>(result: InvokeResult): T {
  if (!result.ok) throw new Error(`${result.error.errorType}: ${result.error.errorMessage}`);
  return result.payload as T;
}

function errorOf(result: InvokeResult) {
  if (result.ok) throw new Error(`expected a function error, got ${JSON.stringify(result)}`);
  return result.error;
}

interface Reported {
  env: Record<string, string>;
  event: unknown;
  context: {
    functionName: string;
    functionVersion: string;
    invokedFunctionArn: string;
    memoryLimitInMB: string;
    awsRequestId: string;
    remainingMs: number;
    callbackWaitsForEmptyEventLoop: boolean;
  };
}
interface Counted {
  count: number;
  container: string;
  pid: number;
}
const REQUEST_ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** The variables Lambda itself defines; nothing else may appear besides a function's own. */
const DEFINED = [
  '_HANDLER',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
  'TZ',
  'LANG',
  'PATH',
  'HOME',
];

/** What both isolations must do: the parts that depend on how a container is built. */
describe.each<Isolation>(['worker', 'process'])('Lambda runtime, %s containers', (isolation) => {
  let lambda: LambdaRuntime;

  beforeAll(() => {
    // Visible to the test process only: no container may inherit it.
    process.env.RUNTIME_TEST_PARENT_ONLY = 'parent';
    lambda = runtime(
      [
        fn('alpha', 'env-reporter', { environment: { COLOR: 'red', ONLY_ALPHA: 'a' } }),
        fn('bravo', 'env-reporter', {
          environment: { COLOR: 'blue', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' },
          memorySizeMb: 256,
        }),
        fn('bystander', 'counter'),
        fn('spinner', 'infinite-loop'),
        // A long timeout: running out of memory must be what ends it, whatever the load.
        fn('leaker', 'memory-leak', { memorySizeMb: 64, timeoutSeconds: 60 }),
        fn('exiter', 'process-exit'),
      ],
      { isolation },
    );
  });

  it('gives each function only its own environment plus the variables Lambda defines', async () => {
    // alpha writes into its process.env; bravo must not see it.
    payloadOf(await lambda.invoke('alpha', { setEnv: { WRITTEN_BY_ALPHA: 'yes' } }));
    const alpha = payloadOf<Reported>(await lambda.invoke('alpha', {})).env;
    const bravo = payloadOf<Reported>(await lambda.invoke('bravo', {})).env;

    expect(alpha).toMatchObject({ COLOR: 'red', ONLY_ALPHA: 'a', WRITTEN_BY_ALPHA: 'yes' });
    expect(bravo).toMatchObject({
      COLOR: 'blue',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_LAMBDA_FUNCTION_NAME: 'bravo',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/bravo',
      _HANDLER: 'handler.handler',
    });
    expect(bravo.AWS_EXECUTION_ENV).toMatch(/^AWS_Lambda_nodejs\d+\.x$/);
    expect(bravo).not.toHaveProperty('ONLY_ALPHA');
    expect(bravo).not.toHaveProperty('WRITTEN_BY_ALPHA');
    const foreign = Object.keys(bravo).filter(
      (key) => !DEFINED.includes(key) && !['COLOR', 'AWS_ENDPOINT_URL'].includes(key),
    );
    expect(foreign).toEqual([]);
  });

  it('kills a function past its timeout without holding up anything else; a fresh container follows', async () => {
    payloadOf(await lambda.invoke('bystander', {})); // warm, so only the spinning is compared
    const order: string[] = [];
    const spinning = lambda.invoke('spinner', { spin: true }).then((result) => {
      order.push('spinner ended');
      return result;
    });
    await new Promise((resolve) => setImmediate(resolve));
    order.push('event loop turned');
    payloadOf(await lambda.invoke('bystander', {}));
    order.push('bystander answered');

    const timedOut = errorOf(await spinning);
    expect(order).toEqual(['event loop turned', 'bystander answered', 'spinner ended']);
    expect(timedOut.errorType).toBe('Sandbox.Timedout');
    expect(timedOut.errorMessage).toMatch(
      new RegExp(`^RequestId: ${REQUEST_ID} Error: Task timed out after 1\\.00 seconds$`),
    );
    const next = await lambda.invoke('spinner', { spin: false });
    expect(next.coldStart).toBe(true);
    expect(payloadOf(next)).toBe('did not spin');
  });

  // A worker's heap limit is best effort: for some allocation patterns V8 aborts the whole
  // process instead of ending the thread (nodejs/node#47224), which would take the test run
  // with it. That is why containers are processes by default.
  it.skipIf(isolation === 'worker')(
    'ends a function that exhausts its memory with Runtime.OutOfMemory and keeps serving',
    async () => {
      const oom = errorOf(await lambda.invoke('leaker', { leak: true }));
      expect(oom.errorType).toBe('Runtime.OutOfMemory');
      expect(oom.errorMessage).toMatch(
        new RegExp(`^RequestId: ${REQUEST_ID} Error: Runtime exited with error: signal: killed$`),
      );

      const next = await lambda.invoke('leaker', { leak: false });
      expect(next.coldStart).toBe(true);
      expect(payloadOf(next)).toEqual({ cached: 0 });
      expect(payloadOf<Counted>(await lambda.invoke('bystander', {})).count).toBeGreaterThan(0);
    },
  );

  it('reports a runtime that exits mid-invocation as Runtime.ExitError and replaces it', async () => {
    const exited = errorOf(await lambda.invoke('exiter', { code: 3 }));
    expect(exited).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(exited.errorMessage).toMatch(
      new RegExp(`^RequestId: ${REQUEST_ID} Error: Runtime exited with error: exit status 3$`),
    );
    expect((await lambda.invoke('exiter', { code: 4 })).coldStart).toBe(true);
  });
});

/** Scheduling is the same whatever the isolation: shown with the default, child processes. */
describe('Lambda runtime, invocations', () => {
  let lambda: LambdaRuntime;

  beforeAll(() => {
    lambda = runtime([
      fn('counter', 'counter'),
      fn('thrower', 'thrower'),
      fn('single', 'slow', { reservedConcurrency: 1 }),
    ]);
  });

  it('reuses a warm container, keeping module state, and flags the cold start', async () => {
    const first = await lambda.invoke('counter', {});
    const second = await lambda.invoke(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:counter`, {});
    expect(first.coldStart).toBe(true);
    expect(second.coldStart).toBe(false);
    expect(payloadOf<Counted>(first).count).toBe(1);
    expect(payloadOf<Counted>(second)).toMatchObject({
      count: 2,
      container: payloadOf<Counted>(first).container,
    });
  });

  it('reports a thrown error as Lambda does, and the container survives it', async () => {
    const failed = await lambda.invoke('thrower', { fail: true });
    expect(errorOf(failed)).toMatchObject({
      errorType: 'PaymentDeclined',
      errorMessage: 'The card was declined.',
    });
    expect(errorOf(failed).trace?.[0]).toBe('PaymentDeclined: The card was declined.');

    const next = await lambda.invoke('thrower', { fail: false });
    expect(next.coldStart).toBe(false);
    expect(payloadOf(next)).toEqual({ calls: 2 });
  });

  it('throttles beyond reserved concurrency with TooManyRequestsException', async () => {
    const [first, second] = await Promise.allSettled([
      lambda.invoke('single', { ms: 50 }),
      lambda.invoke('single', { ms: 50 }),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('rejected');
    const throttled = (second as PromiseRejectedResult).reason as Error;
    expect(throttled).toBeInstanceOf(TooManyRequestsError);
    expect(throttled.name).toBe('TooManyRequestsException');
    // Once the first invocation finished, the reserved slot is free again.
    expect((await lambda.invoke('single', { ms: 1 })).ok).toBe(true);
  });
});

describe('Lambda runtime, behaviour of the Node runtime client', () => {
  let lambda: LambdaRuntime;

  beforeAll(() => {
    lambda = runtime([
      fn('reporter', 'env-reporter'),
      fn('timer-crash', 'timer-crash'),
      fn('unsettled', 'unsettled'),
      fn('callback-style', 'callback-style'),
      fn('no-export', 'no-export'),
    ]);
  });

  it('sends the event and the result as JSON, and passes a Lambda context', async () => {
    const sent = { when: new Date('2026-11-20T10:00:00.000Z'), skipped: undefined, n: 1 };
    const result = await lambda.invoke('reporter', sent);
    const { event, context } = payloadOf<Reported>(result);
    expect(event).toEqual({ when: '2026-11-20T10:00:00.000Z', n: 1 });
    expect(context).toMatchObject({
      functionName: 'reporter',
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:reporter`,
      memoryLimitInMB: '128',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.awsRequestId).toMatch(new RegExp(`^${REQUEST_ID}$`));
    expect(context.remainingMs).toBeLessThanOrEqual(1000);
    expect(payloadOf(await lambda.invoke('reporter', { returnNothing: true }))).toBeNull();
  });

  it('resolves names, partial and full ARNs of this account only', () => {
    expect(lambda.has('reporter')).toBe(true);
    expect(lambda.has(`${ACCOUNT}:function:reporter`)).toBe(true);
    expect(lambda.has(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:reporter:$LATEST`)).toBe(true);
    expect(lambda.has(`arn:aws:lambda:${REGION}:123456789012:function:reporter`)).toBe(false);
    expect(lambda.has(`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:reporter`)).toBe(false);
    expect(lambda.has('reporter:live')).toBe(false);
    expect(lambda.has('missing')).toBe(false);
  });

  it('refuses an unknown function with ResourceNotFoundException', async () => {
    const missing = lambda.invoke('missing', {});
    await expect(missing).rejects.toBeInstanceOf(FunctionNotFoundError);
    await expect(missing).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:missing`,
    });
  });

  it('reports an error thrown from a timer and replaces the container', async () => {
    const crashed = errorOf(await lambda.invoke('timer-crash', {}));
    expect(crashed).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'late failure in a timer',
    });
    expect((await lambda.invoke('timer-crash', {})).coldStart).toBe(true);
  });

  it('fails an async handler whose promise can never settle with Runtime.NodeJsExit', async () => {
    expect(errorOf(await lambda.invoke('unsettled', {})).errorType).toBe('Runtime.NodeJsExit');
  });

  it('answers a callback-style handler through its callback', async () => {
    expect(payloadOf(await lambda.invoke('callback-style', { value: 'v' }))).toEqual({
      echoed: 'v',
    });
  });

  it('reports a module without the handler export as Runtime.HandlerNotFound', async () => {
    const result = await lambda.invoke('no-export', {});
    expect(result.coldStart).toBe(true);
    expect(errorOf(result).errorType).toBe('Runtime.HandlerNotFound');
    expect(errorOf(result).errorMessage).toMatch(
      /handler\.ts\.handler is undefined or not exported$/,
    );
  });
});

describe('Lambda runtime, scaling and lifecycle', () => {
  it('queues unreserved invocations beyond the container cap', async () => {
    expect(LOCAL_MAX_CONTAINERS).toBe(10);
    const lambda = runtime([fn('busy', 'slow')], { maxContainers: 2 });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => lambda.invoke('busy', { ms: 20 })),
    );
    const containers = new Set(results.map((result) => payloadOf<Counted>(result).container));
    expect(containers.size).toBe(2);
    expect(results.filter((result) => result.coldStart)).toHaveLength(2);
  });

  it('scales timeouts by timeScale, and turns them off with an infinite scale', async () => {
    const scaled = runtime([fn('reporter', 'env-reporter', { timeoutSeconds: 1 })], {
      timeScale: 2,
    });
    const { context } = payloadOf<Reported>(await scaled.invoke('reporter', {}));
    expect(context.remainingMs).toBeLessThanOrEqual(500);

    const unlimited = runtime([fn('sleeper', 'slow', { timeoutSeconds: 0.05 })], {
      timeScale: Number.POSITIVE_INFINITY,
    });
    expect((await unlimited.invoke('sleeper', { ms: 100 })).ok).toBe(true);
  });

  it('stops idle containers; the next invocation is a cold start again', async () => {
    const lambda = runtime([fn('counter', 'counter')], { idleTimeoutMs: 20 });
    expect((await lambda.invoke('counter', {})).coldStart).toBe(true);
    await vi.waitFor(() => expect(lambda.stats().containers).toBe(0));
    const again = await lambda.invoke('counter', {});
    expect(again.coldStart).toBe(true);
    expect(payloadOf<Counted>(again).count).toBe(1);
  });

  it('close() ends every container, busy or idle, and refuses later invocations', async () => {
    const lambda = runtime([fn('counter', 'counter'), fn('spinner', 'infinite-loop')]);
    const { pid } = payloadOf<Counted>(await lambda.invoke('counter', {}));
    const spinning = lambda.invoke('spinner', { spin: true });
    await vi.waitFor(() => expect(lambda.stats().busy).toBe(1));
    expect(lambda.stats()).toMatchObject({ containers: 2, invocations: 2 });

    await lambda.close();
    expect(lambda.stats()).toMatchObject({ containers: 0, busy: 0 });
    expect(errorOf(await spinning).errorType).toBe('Runtime.ExitError');
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    await expect(lambda.invoke('counter', {})).rejects.toThrow(/closed/);
  });

  it('close() ends worker containers too', async () => {
    const lambda = runtime([fn('counter', 'counter'), fn('bystander', 'counter')], {
      isolation: 'worker',
    });
    await Promise.all([lambda.invoke('counter', {}), lambda.invoke('bystander', {})]);
    expect(lambda.stats()).toMatchObject({ containers: 2, busy: 0, invocations: 2 });
    await lambda.close();
    expect(lambda.stats()).toMatchObject({ containers: 0, busy: 0 });
  });
});
