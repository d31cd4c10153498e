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

export type { InvokeResult } from './runtime';
export { TooManyRequestsError } from './runtime';
