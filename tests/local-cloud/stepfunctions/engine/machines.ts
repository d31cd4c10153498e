/** The small machines and inline handlers of the per-state tables. */
import type { LambdaHandler } from '../../../../local-cloud/lambda/types';
import { functionArn } from './harness';

const end = { End: true } as const;
const machine = (states: Record<string, object>, startAt = Object.keys(states)[0]!) => ({
  StartAt: startAt,
  States: states,
});

/** Largest number of handler calls in flight at once, for the MaxConcurrency cases. */
export const concurrency = {
  inFlight: 0,
  max: 0,
  reset() {
    this.inFlight = 0;
    this.max = 0;
  },
};

const attempts = new Map<string, number>();

export const handlers: Record<string, LambdaHandler> = {
  echo: (event) => event,
  boom: () => {
    const error = new Error('kaboom');
    error.name = 'Boom';
    throw error;
  },
  flaky: (event) => {
    const { key, failTimes } = event as { key: string; failTimes: number };
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    if (attempt <= failTimes) {
      const error = new Error(`attempt ${attempt}`);
      error.name = 'Transient';
      throw error;
    }
    return { attempts: attempt };
  },
  counted: async (event) => {
    concurrency.inFlight += 1;
    concurrency.max = Math.max(concurrency.max, concurrency.inFlight);
    // Stay in flight for a few event-loop turns, so overlapping iterations overlap here.
    for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
    concurrency.inFlight -= 1;
    return event;
  },
};

const mapOf = (maxConcurrency: number) =>
  machine({
    Fan: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: maxConcurrency,
      ItemProcessor: machine({ Call: { Type: 'Task', Resource: functionArn('counted'), ...end } }),
      ...end,
    },
  });

export const machines = {
  PassResult: machine({ Set: { Type: 'Pass', Result: { x: 1 }, ResultPath: '$.r', ...end } }),
  PassParameters: machine({
    Shape: {
      Type: 'Pass',
      Parameters: {
        'sum.$': 'States.MathAdd($.a, 2)',
        'v.$': '$.inner.v',
        fixed: 'k',
        'state.$': '$$.State.Name',
      },
      ...end,
    },
  }),
  PassPaths: machine({
    Pick: { Type: 'Pass', InputPath: '$.inner', OutputPath: '$.v', ...end },
  }),
  PassDiscard: machine({ Drop: { Type: 'Pass', Result: 'ignored', ResultPath: null, ...end } }),
  Choose: machine({
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.n', NumericGreaterThan: 3, Next: 'Big' },
        { Variable: '$.n', NumericGreaterThan: 1, Next: 'Small' },
      ],
      Default: 'Other',
    },
    Big: { Type: 'Pass', Result: 'big', ...end },
    Small: { Type: 'Pass', Result: 'small', ...end },
    Other: { Type: 'Pass', Result: 'default', ...end },
  }),
  ChooseNoDefault: machine({
    Route: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'One' }] },
    One: { Type: 'Succeed' },
  }),
  SucceedPath: machine({ Done: { Type: 'Succeed', InputPath: '$.keep' } }),
  FailLiteral: machine({ Stop: { Type: 'Fail', Error: 'Nope', Cause: 'not today' } }),
  FailPaths: machine({ Stop: { Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' } }),
  WaitSeconds: machine({ Pause: { Type: 'Wait', Seconds: 30, ...end } }),
  WaitSecondsPath: machine({ Pause: { Type: 'Wait', SecondsPath: '$.s', ...end } }),
  WaitTimestampPath: machine({ Pause: { Type: 'Wait', TimestampPath: '$.at', ...end } }),
  Parallel: machine({
    Both: {
      Type: 'Parallel',
      Branches: [
        machine({ A: { Type: 'Pass', Parameters: { branch: 'a', 'v.$': '$.v' }, ...end } }),
        machine({ B: { Type: 'Pass', Result: { branch: 'b' }, ...end } }),
      ],
      ...end,
    },
  }),
  ParallelFails: machine({
    Both: {
      Type: 'Parallel',
      Branches: [
        machine({ A: { Type: 'Pass', ...end } }),
        machine({ B: { Type: 'Fail', Error: 'BranchBroke' } }),
      ],
      ...end,
    },
  }),
  MapSelect: machine({
    Each: {
      Type: 'Map',
      ItemsPath: '$.lines',
      ItemSelector: {
        'sku.$': '$$.Map.Item.Value',
        'index.$': '$$.Map.Item.Index',
        'order.$': '$.order',
      },
      ItemProcessor: machine({ Keep: { Type: 'Pass', ...end } }),
      ...end,
    },
  }),
  MapFails: machine({
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: machine({ Broke: { Type: 'Fail', Error: 'ItemBroke' } }),
      ...end,
    },
  }),
  MapOneAtATime: mapOf(1),
  MapUnbounded: mapOf(0),
  TaskArn: machine({
    Call: { Type: 'Task', Resource: functionArn('echo'), ResultPath: '$.echoed', ...end },
  }),
  TaskInvoke: machine({
    Call: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: functionArn('echo'), 'Payload.$': '$' },
      ResultSelector: { 'a.$': '$.Payload.a', 'status.$': '$.StatusCode' },
      ...end,
    },
  }),
  TaskCatch: machine({
    Call: {
      Type: 'Task',
      Resource: functionArn('boom'),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Handled' }],
      ...end,
    },
    Handled: { Type: 'Pass', ...end },
  }),
  TaskUnsupported: machine({
    Send: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage',
      Parameters: { QueueUrl: 'q', MessageBody: 'm' },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
      ...end,
    },
    Handled: { Type: 'Succeed' },
  }),
  TaskTimeoutPath: machine({
    Call: { Type: 'Task', Resource: functionArn('echo'), TimeoutSecondsPath: '$.timeout', ...end },
  }),
  TaskRetry: machine({
    Call: {
      Type: 'Task',
      Resource: functionArn('flaky'),
      Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 }],
      ...end,
    },
  }),
};
