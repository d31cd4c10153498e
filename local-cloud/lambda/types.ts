/** The second argument Lambda passes a Node handler (the parts handlers plausibly read). */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  awsRequestId: string;
  memoryLimitInMB: string;
  getRemainingTimeInMillis(): number;
  callbackWaitsForEmptyEventLoop: boolean;
}

export type LambdaHandler = (event: unknown, context: LambdaContext) => unknown;

/** What one invocation produced: the function's result, or the error Lambda reports for it. */
export type InvokeResult =
  | { ok: true; payload: unknown; durationMs: number; coldStart: boolean }
  | {
      ok: false;
      error: { errorType: string; errorMessage: string; trace?: string[] };
      durationMs: number;
      coldStart: boolean;
    };

/** Reserved concurrency is used up: Invoke answers 429 (Step Functions: Lambda.TooManyRequestsException). */
export class TooManyRequestsError extends Error {
  constructor(functionName: string) {
    super(`Rate Exceeded. Reserved concurrency of ${functionName} is in use.`);
    this.name = 'TooManyRequestsException';
  }
}
