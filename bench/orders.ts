/**
 * Order API figures (issue 6), printed, not asserted:
 *  1. submit latency (time to the 202) at a fixed 100 requests/s for 10 s, open loop, with the
 *     workflows running; and the same with no-op workflow handlers (the submit path alone);
 *  2. step-to-client latency: a workflow step's status update → the aws-amplify v6
 *     subscription message, in Node;
 *  3. status requests per order of a polling client that honours `nextPollAt` vs one that
 *     polls every second, over the same workflow, with polling delays at real time.
 * Runs `next start` (the production build in .next/) and the local cloud as child processes on
 * free loopback ports; this process is only the load generator and the clients.
 *
 * Order of work: the no-op-workflow variant of 1 first, on a stack of its own. Then, on a fresh
 * stack, 3 starts, because at real time its honouring client sleeps about two minutes (the
 * warehouse step's expected duration) before its last poll; 2 and then 1 run in that idle
 * time, once 3's every-second client is done, so the whole run stays under 5 minutes. 1 goes
 * last because it leaves the local cloud with a backlog of workflows.
 *
 * Env: BENCH_ONLY=submit-alone,polling,step,submit (a subset), BENCH_SUBMIT_RATE (100),
 * BENCH_SUBMIT_SECONDS (10), BENCH_RESULTS_FILE=<path> (also write the figures as JSON;
 * bench/index.ts reads it). Diagnosis: BENCH_PROFILE_NEXT / BENCH_PROFILE_CLOUD=<dir>.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { sleep } from './phases/context';
import { measurePollingCost, type PollingCostResult } from './phases/polling-cost';
import { measureStepLatency, type StepLatencyResult } from './phases/step-latency';
import {
  measureSubmitLatency,
  untilWorkflowsParked,
  type SubmitLatencyResult,
} from './phases/submit-latency';
import { startStack } from './support/stack';
import { ms } from './support/stats';

const SHOPPERS = 5;
const only = new Set(
  (process.env.BENCH_ONLY ?? 'submit-inline,submit-alone,polling,step,submit')
    .split(',')
    .map((s) => s.trim()),
);
const rate = Number(process.env.BENCH_SUBMIT_RATE ?? 100);
const seconds = Number(process.env.BENCH_SUBMIT_SECONDS ?? 10);
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

export interface OrdersBenchResults {
  submit?: SubmitLatencyResult;
  submitAlone?: SubmitLatencyResult;
  /** The design before the Lambda runtime: every handler on the local cloud's own event loop. */
  submitInline?: SubmitLatencyResult;
  /** Orders from the first submit to parked at the warehouse step, per second. */
  carried?: { inline?: number; containers?: number };
  step?: StepLatencyResult;
  polling?: PollingCostResult;
}
const results: OrdersBenchResults = {};

function printSubmit(label: string, submit: SubmitLatencyResult) {
  const errorText = Object.entries(submit.errors)
    .map(([kind, count]) => `${count}× ${kind}`)
    .join(', ');
  console.log(
    `${label}, ${submit.rate} req/s open loop for ${submit.seconds} s: ` +
      `p50 ${ms(submit.latency.p50)}, p99 ${ms(submit.latency.p99)}, ` +
      `max ${ms(submit.latency.max)}; ${submit.accepted}/${submit.sent} accepted, ` +
      `errors ${errorText || 'none'} [target p99 < 100 ms]`,
  );
  console.log(
    `   sender lag max ${ms(submit.senderLagMax)}; last 202 ${submit.lastReplySeconds.toFixed(1)} s ` +
      `after the last send; CPU: ${submit.cpu}; load average ${load()}`,
  );
}

const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)} s`;

/** Orders carried end to end per second: accepted orders over the time until all are parked. */
function carriedPerSecond(submit: SubmitLatencyResult, drained: number | undefined) {
  return drained === undefined ? undefined : submit.accepted / (submit.seconds + drained);
}

if (only.has('submit-inline')) {
  const stack = await startStack({ shoppers: SHOPPERS, workflow: 'inline' });
  try {
    results.submitInline = await measureSubmitLatency(stack.ctx, rate, seconds);
    printSubmit(
      "1c. submit latency (202), workflows running with handlers on the local cloud's loop (before)",
      results.submitInline,
    );
    const drained = await untilWorkflowsParked(stack.ctx, 120_000);
    const carried = carriedPerSecond(results.submitInline, drained);
    results.carried = { ...results.carried, inline: carried };
    console.log(`   orders carried to the warehouse step: ${carried?.toFixed(1) ?? 'not all'} /s`);
  } finally {
    await stack.stop();
  }
}

if (only.has('submit-alone')) {
  const stack = await startStack({ shoppers: SHOPPERS, workflow: 'noop' });
  try {
    results.submitAlone = await measureSubmitLatency(stack.ctx, rate, seconds);
    printSubmit(
      '1b. submit latency (202), workflow handlers no-op (submit path alone)',
      results.submitAlone,
    );
  } finally {
    await stack.stop();
  }
}

const stack = await startStack({ shoppers: SHOPPERS, workflow: 'real' });
const { ctx } = stack;
try {
  console.log(
    `orders bench: next start ${ctx.appUrl}, local cloud ${ctx.cloud.url}, ${SHOPPERS} shoppers; ` +
      `${elapsed()} in; load average ${load()}`,
  );

  const polling = only.has('polling') ? measurePollingCost(ctx) : undefined;
  if (polling) {
    await polling.fixedDone;
    await untilWorkflowsParked(ctx, 15_000);
  }

  if (only.has('step')) {
    const step = (results.step = await measureStepLatency(ctx));
    console.log(
      `2. step-to-client latency, update timestamp -> subscription message ` +
        `(${step.fromUpdate.count} updates of ${step.finished}/${step.orders} orders): ` +
        `p50 ${ms(step.fromUpdate.p50)}, p95 ${ms(step.fromUpdate.p95)}, ` +
        `max ${ms(step.fromUpdate.max)} [target p95 < 100 ms]`,
    );
    console.log(
      `   TaskStateEntered -> first message of that step (${step.fromStateEntered.count} steps): ` +
        `p50 ${ms(step.fromStateEntered.p50)}, p95 ${ms(step.fromStateEntered.p95)}, ` +
        `max ${ms(step.fromStateEntered.max)}`,
    );
    console.log(
      `   ${step.messages} messages, ${step.duplicates} duplicates, ${step.missed} missed; ` +
        `load average ${load()}`,
    );
    for (const error of step.errors.slice(0, 5)) console.log(`   error: ${error}`);
    await sleep(1000);
  }

  if (only.has('submit')) {
    results.submit = await measureSubmitLatency(ctx, rate, seconds);
    printSubmit('1. submit latency (202), workflows running', results.submit);
    const drained = await untilWorkflowsParked(ctx, 120_000);
    console.log(
      drained === undefined
        ? `   workflows still not all parked 120 s after the last 202`
        : `   every workflow parked at AwaitWarehouse ${drained.toFixed(1)} s after the last 202`,
    );
    const carried = carriedPerSecond(results.submit, drained);
    results.carried = { ...results.carried, containers: carried };
    console.log(`   orders carried to the warehouse step: ${carried?.toFixed(1) ?? 'not all'} /s`);
  }

  if (polling) {
    const result = (results.polling = await polling.result);
    const client = (name: string, c: PollingCostResult['fixed']) =>
      `   ${name}: ${c.requestsPerOrder.toFixed(1)} status requests/order, ${c.throttled} × 429, ` +
      `${c.notModified} × 304, ` +
      `${c.completed}/${c.orders} ended as expected, learned of it ${c.staleSeconds.toFixed(1)} s after`;
    console.log(
      `3. polling cost, honours nextPollAt vs every 1 s (packed ${result.packAfterSeconds} s after ` +
        `submit, ${result.wallSeconds.toFixed(0)} s wall): ${(result.ratio * 100).toFixed(0)} % ` +
        `[target <= 10 %, staleness p95 <= 30 s]`,
    );
    console.log(client('honours nextPollAt', result.honouring));
    console.log(client('every 1 s         ', result.fixed));
  }
  console.log(`orders bench done in ${elapsed()}; load average ${load()}`);
  if (process.env.BENCH_RESULTS_FILE)
    writeFileSync(process.env.BENCH_RESULTS_FILE, JSON.stringify(results, null, 2));
} finally {
  await stack.stop();
}
// Amplify keeps its WebSocket and timers alive after the last unsubscribe.
process.exit(0);
