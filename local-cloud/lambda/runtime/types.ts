import type { Logger } from '../../core/service';

/** One function as its template declares it; the runtime fills in what Lambda defaults. */
export interface FunctionConfig {
  /** Kebab name, e.g. 'reserve-inventory'. */
  name: string;
  /** Absolute path of the handler source module (.ts or .js/.mjs). */
  codePath: string;
  /** Default 'handler'. */
  exportName?: string;
  /**
   * Exactly what the template sets (plus, from the caller, AWS_ENDPOINT_URL and credentials).
   * The runtime adds the reserved variables Lambda defines (see environment.ts).
   */
  environment: Record<string, string>;
  /** Default 3 (Lambda's default). */
  timeoutSeconds?: number;
  /** Default 128; enforced as the container's V8 old-generation heap limit. */
  memorySizeMb?: number;
  /** Undefined = unreserved: up to LOCAL_MAX_CONTAINERS containers, then invocations queue. */
  reservedConcurrency?: number;
}

/** How a container is isolated: a child process (default) or a worker thread (see index.ts). */
export type Isolation = 'worker' | 'process';

export interface LambdaRuntimeOptions {
  region: string;
  accountId: string;
  functions: FunctionConfig[];
  log: Logger;
  /** Divides timeouts like core/clock.ts scaleTimeout; Infinity = no timeout. */
  timeScale?: number;
  /** Default 'process' (the measured choice, see index.ts). */
  isolation?: Isolation;
  /** An idle container is stopped after this long (default IDLE_TIMEOUT_MS). */
  idleTimeoutMs?: number;
  /** Containers per function without reserved concurrency (default LOCAL_MAX_CONTAINERS). */
  maxContainers?: number;
}

/** What Lambda reports for a failed invocation (the Invoke payload with X-Amz-Function-Error). */
export interface FunctionError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type InvokeResult =
  | { ok: true; payload: unknown; durationMs: number; coldStart: boolean }
  | { ok: false; error: FunctionError; durationMs: number; coldStart: boolean };
