import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticBackend, type LocalCloud, type LocalFunction } from '../../../local-cloud';
import type { LambdaHandler } from '../../../local-cloud/lambda/types';
import { clientConfig, startTestCloud } from '../../support/local-cloud';

const calls: unknown[] = [];
const handlers: Record<string, LambdaHandler> = {
  echo: async (event) => ({ received: event }),
  boom: async () => {
    const error = new Error('the publisher is down');
    error.name = 'PublishFailed';
    throw error;
  },
  record: async (event) => {
    calls.push(event);
    return null;
  },
};

let cloud: LocalCloud;
let lambda: LambdaClient;

beforeAll(async () => {
  const functions: LocalFunction[] = Object.entries(handlers).map(([name, handler]) => ({
    name,
    code: { inline: handler },
    environment: {},
    unresolvedEnvironment: {},
  }));
  cloud = await startTestCloud({
    backend: staticBackend({ tables: [], functions, stateMachines: [] }),
  });
  lambda = new LambdaClient(clientConfig(cloud));
});

afterAll(async () => {
  await cloud?.close();
});

const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = (bytes?: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes));

describe('Lambda Invoke through @aws-sdk/client-lambda', () => {
  it('runs the handler and returns its result', async () => {
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: payload({ orderId: 'o-1' }) }),
    );
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect(decode(result.Payload)).toEqual({ received: { orderId: 'o-1' } });
  });

  it('accepts a full function ARN', async () => {
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
        Payload: payload(1),
      }),
    );
    expect(decode(result.Payload)).toEqual({ received: 1 });
  });

  it('reports a thrown error as FunctionError with the error in the payload', async () => {
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'boom' }));
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    expect(decode(result.Payload)).toMatchObject({
      errorType: 'PublishFailed',
      errorMessage: 'the publisher is down',
    });
  });

  it('answers 202 at once for Event invocations and runs the handler', async () => {
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'record', InvocationType: 'Event', Payload: payload('x') }),
    );
    expect(result.StatusCode).toBe(202);
    await expect.poll(() => calls).toContain('x');
  });

  it('throws ResourceNotFoundException for an unknown function', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});
