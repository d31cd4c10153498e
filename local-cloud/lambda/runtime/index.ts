/**
 * A Lambda runtime for the local cloud: every function runs in containers of its own, off the
 * gateway's event loop, with its own environment, its timeout and its memory limit.
 *
 * Why child processes. Measured on the 2-core build machine (Node 20.20, shared, load average
 * 2.3-3.5 during the runs) with `npx tsx bench/lambda-runtime.ts`, three runs, using the real
 * status-publisher handler (AWS SDK + SigV4), a stub AppSync on loopback:
 *
 *                                        worker thread       child process
 *   cold start, status publisher         250-580 ms          470-490 ms
 *   cold start, handler importing none   157-253 ms          250-364 ms
 *   warm invoke round trip p50 / p95     0.9-2.0 / 2.0-7.8   0.8-1.2 / 1.9-2.7 ms
 *   memory per warm container (RSS)      34-35 MB            81-87 MB
 *   host event-loop delay, handler spins 10-14 ms max        11-21 ms max (in-process: 1 s)
 *
 * A worker is faster to start and lighter, and both keep a `while (true) {}` off the gateway's
 * loop and can be killed mid-loop. But a worker's heap limit (resourceLimits) is best effort:
 * measured with a 64 MB limit, a worker that grows a Map, pushes numbers onto one array or fills
 * one large array aborts the whole process with "FATAL ERROR: Reached heap limit" on Node 20,
 * 22 and 24 (nodejs/node#47224; on 24 even the object-array shape sometimes does), and a
 * --max-old-space-size in NODE_OPTIONS overrides the limit (nodejs/node#43991). A leaking
 * handler would then take the local cloud down, which is what this runtime exists to prevent.
 * A child process has its own heap limit, its own time zone, working directory and native
 * memory, and its death is only its own; that is worth ~100-250 ms per cold start and ~50 MB
 * per container here. `isolation: 'worker'` stays available (and is measured by the bench) for
 * callers that trust their handlers' memory use.
 *
 * Integration (Lambda Invoke and Step Functions): build one runtime for all functions, ask
 * `has()`, then `invoke()`; it throws only FunctionNotFoundError and TooManyRequestsError, and
 * reports everything the function did (result or error) in the InvokeResult.
 */
import { scaleTimeout } from '../../core/clock';
import { Container } from './container';
import type { ContainerSpec } from './environment';
import { FunctionNotFoundError } from './errors';
import { FunctionPool } from './pool';
import { functionArn, localFunctionName } from './reference';
import type { FunctionConfig, Isolation, InvokeResult, LambdaRuntimeOptions } from './types';

export { FunctionNotFoundError, TooManyRequestsError } from './errors';
export type {
  FunctionConfig,
  FunctionError,
  InvokeResult,
  Isolation,
  LambdaRuntimeOptions,
} from './types';

/** Lambda's defaults (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html). */
export const DEFAULT_TIMEOUT_SECONDS = 3;
export const DEFAULT_MEMORY_MB = 128;
/**
 * Containers per function without reserved concurrency. Ten covers the order workflow's
 * concurrency on a laptop while bounding memory (a process container is ~85 MB).
 */
export const LOCAL_MAX_CONTAINERS = 10;
/** Idle containers are stopped after five minutes. */
export const IDLE_TIMEOUT_MS = 5 * 60_000;

interface LocalFunction {
  spec: ContainerSpec;
  pool: FunctionPool;
}

export class LambdaRuntime {
  private readonly functions = new Map<string, LocalFunction>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly timeScale: number;
  private closed = false;

  constructor(options: LambdaRuntimeOptions) {
    this.region = options.region;
    this.accountId = options.accountId;
    this.timeScale = options.timeScale ?? 1;
    const isolation: Isolation = options.isolation ?? 'process';
    const log = options.log;
    for (const config of options.functions) {
      const spec = specFor(config, options);
      const reserved = config.reservedConcurrency;
      const cap = options.maxContainers ?? LOCAL_MAX_CONTAINERS;
      const pool = new FunctionPool(
        config.name,
        {
          reserved,
          maxContainers: Math.min(reserved ?? cap, cap),
          idleTimeoutMs: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
        },
        (onGone) => new Container(spec, isolation, log, onGone),
      );
      this.functions.set(config.name, { spec, pool });
    }
  }

  /** True when `reference` (name, partial or full ARN) names a function of this runtime. */
  has(reference: string): boolean {
    return this.find(reference) !== undefined;
  }

  /**
   * Runs one synchronous (RequestResponse) invocation. The payload crosses as JSON text, as
   * Lambda receives it; an `undefined` payload is sent as `{}`, like an empty Invoke body.
   */
  async invoke(reference: string, payload: unknown): Promise<InvokeResult> {
    if (this.closed) throw new Error('The Lambda runtime is closed');
    const fn = this.find(reference);
    if (!fn) {
      const name = localFunctionName(reference, this.region, this.accountId) ?? reference;
      throw new FunctionNotFoundError(
        reference.startsWith('arn:') ? reference : functionArn(this.region, this.accountId, name),
      );
    }
    const configuredMs = fn.spec.timeoutSeconds * 1000;
    const timeoutMs = scaleTimeout(configuredMs, this.timeScale);
    return fn.pool.invoke({
      payload: JSON.stringify(payload === undefined ? {} : payload),
      invokedFunctionArn: reference.startsWith('arn:')
        ? reference
        : functionArn(this.region, this.accountId, fn.spec.name),
      timeoutMs,
      // With timeouts off (infinite scale) handlers still see the configured budget.
      deadlineMs: () => Date.now() + (timeoutMs ?? configuredMs),
    });
  }

  stats(): { containers: number; busy: number; invocations: number } {
    let containers = 0;
    let busy = 0;
    let invocations = 0;
    for (const { pool } of this.functions.values()) {
      containers += pool.size;
      busy += pool.busy;
      invocations += pool.invocations;
    }
    return { containers, busy, invocations };
  }

  /** Stops every container; invocations still running end with Runtime.ExitError. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.functions.values()].map(({ pool }) => pool.close()));
  }

  private find(reference: string): LocalFunction | undefined {
    const name = localFunctionName(reference, this.region, this.accountId);
    return name === undefined ? undefined : this.functions.get(name);
  }
}

function specFor(config: FunctionConfig, options: LambdaRuntimeOptions): ContainerSpec {
  return {
    name: config.name,
    codePath: config.codePath,
    exportName: config.exportName ?? 'handler',
    environment: config.environment,
    timeoutSeconds: config.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    memorySizeMb: config.memorySizeMb ?? DEFAULT_MEMORY_MB,
    region: options.region,
    accountId: options.accountId,
  };
}
