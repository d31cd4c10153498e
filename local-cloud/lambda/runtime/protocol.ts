import type { FunctionError } from './types';

/**
 * Messages between the runtime and a container's bootstrap.mjs (which, being plain JavaScript,
 * mirrors these shapes by hand). Payloads and results cross as JSON text, as a real Lambda
 * receives and returns serialised JSON; the structured clone around them is only transport.
 */
export interface BootstrapData {
  codePath: string;
  exportName: string;
  functionName: string;
  memorySizeMb: number;
}

export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  /** The event as JSON text. */
  payload: string;
  invokedFunctionArn: string;
  /** Epoch ms at which the runtime ends the invocation (getRemainingTimeInMillis). */
  deadlineMs: number;
}

export type ToContainer = InvokeMessage;

export type FromContainer =
  /** Init finished: the module is imported and exports the handler. */
  | { type: 'ready'; initDurationMs: number }
  /** Init failed (import error, missing export, a throw in module scope). */
  | { type: 'init-error'; error: FunctionError }
  /** The invocation finished; `payload` is JSON text. */
  | { type: 'result'; requestId: string; ok: true; payload: string }
  | { type: 'result'; requestId: string; ok: false; error: FunctionError }
  /**
   * An uncaught exception or unhandled rejection: reported for the running invocation (if any)
   * right before the container exits, as Lambda's Node runtime does.
   */
  | { type: 'crash'; requestId: string | null; error: FunctionError };
