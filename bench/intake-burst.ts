/**
 * The intake queue under a burst (issue: the queue as a scaling layer), printed, not asserted.
 * For each intake mode, queue and direct, on a fresh local stack of its own (`next start` and
 * the local cloud as children, real workflow handlers in their Lambda containers):
 *  A. 1,000 orders sent as fast as the client can: CONCURRENCY requests always in flight;
 *  B. 2,000 orders over 10 s, open loop (200/s, each timed from its due time);
 * each with submit p50/p99/max, orders lost (accepted but never reached the warehouse step),
 * orders started twice (two pick-ups or two first steps recorded), the time until every order
 * is parked at the warehouse step, and the queue depth over time (printed, and drawn into
 * `.bench/intake-queue-depth.svg`). Then the drain rate of 500 orders against the event source
 * mapping's MaximumConcurrency (2, 5, 10), and the idle latency each mode adds: one order at a
 * time, from the 202 to the workflow's first step. Queue mode also runs both bursts with its
 * consumer held until the last 202, to separate the API's own cost from the workflow's.
 * Env: BENCH_RESULTS_FILE=<path> (JSON for bench/index.ts), BENCH_BURST_ONLY=modes,drain,idle.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { LOCAL_CREDENTIALS } from '../local-cloud';
import { sleep, type BenchContext } from './phases/context';
import type { FromCloud } from './support/cloud-messages';
import { submitNth } from './phases/submit-latency';
import { cloudHealth } from './support/order-api';
import { startStack } from './support/stack';
import { ms, summarize } from './support/stats';

type Mode = 'queue' | 'direct';
const CONCURRENCY = 32;
const DRAIN_TIMEOUT_MS = 240_000;
const only = new Set((process.env.BENCH_BURST_ONLY ?? 'modes,drain,idle').split(','));

export interface BurstResult {
  orders: number;
  accepted: number;
  errors: Record<string, number>;
  latency: ReturnType<typeof summarize>;
  lost: number;
  startedTwice: number;
  /** From the first send until every accepted order is parked at the warehouse step. */
  drainSeconds: number | null;
  /** [seconds since the first send, messages in the queue (visible + in flight)]. */
  depth: [number, number][];
}

export interface IntakeBenchResults {
  modes: Partial<Record<Mode, { fast: BurstResult; paced: BurstResult }>>;
  /** Queue mode with the consumer stopped until the burst is accepted (see `burst`). */
  held?: { fast: BurstResult; paced: BurstResult };
  drain: { maximumConcurrency: number; ordersPerSecond: number | null }[];
  /** 202 -> ReserveInventory STARTED recorded, one order at a time on an idle stack, p50 ms. */
  idle: Partial<Record<Mode, number>>;
}

interface Stack {
  ctx: BenchContext;
  stop(): Promise<void>;
  documents: DynamoDBDocumentClient;
  sqs: SQSClient;
  ordersTable: string;
  queueUrl: string;
}

async function openStack(intakeMode: Mode, maximumConcurrency?: number): Promise<Stack> {
  const { ctx, stop } = await startStack({
    shoppers: 5,
    workflow: 'real',
    intakeMode,
    maximumConcurrency,
  });
  const { custom } = JSON.parse(readFileSync(ctx.cloud.outputsPath, 'utf8')) as {
    custom: Record<string, string>;
  };
  const client = { endpoint: ctx.cloud.url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
  return {
    ctx,
    stop,
    documents: DynamoDBDocumentClient.from(new DynamoDBClient(client)),
    sqs: new SQSClient(client),
    ordersTable: custom.ordersTableName!,
    queueUrl: custom.orderIntakeQueueUrl!,
  };
}

function send(stack: Stack, i: number) {
  return submitNth(stack.ctx, i);
}

async function queueDepth(stack: Stack): Promise<number> {
  const { Attributes = {} } = await stack.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** Samples the queue depth every 250 ms until stopped. */
function sampleDepth(stack: Stack, began: number) {
  const samples: [number, number][] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      samples.push([(performance.now() - began) / 1000, await queueDepth(stack)]);
      await sleep(250);
    }
  })();
  return async () => {
    running = false;
    await done;
    return samples;
  };
}

/** Orders recorded more than once at the start: two pick-ups, or two first workflow steps. */
async function startedTwice(stack: Stack, orderIds: string[]) {
  let twice = 0;
  let missing = 0;
  for (let i = 0; i < orderIds.length; i += 100) {
    const keys = orderIds.slice(i, i + 100).map((orderId) => ({ orderId }));
    let pending: { orderId: string }[] | undefined = keys;
    while (pending && pending.length > 0) {
      const { Responses, UnprocessedKeys } = await stack.documents.send(
        new BatchGetCommand({ RequestItems: { [stack.ordersTable]: { Keys: pending } } }),
      );
      for (const item of Responses?.[stack.ordersTable] ?? []) {
        const updates = (item.updates ?? []) as { step: string; status: string; attempt: number }[];
        const count = (step: string, status: string) =>
          updates.filter((u) => u.step === step && u.status === status && u.attempt === 0).length;
        if (count('Queued', 'SUCCEEDED') > 1 || count('ReserveInventory', 'STARTED') > 1) twice++;
        if (item.orderStatus !== 'AWAITING_WAREHOUSE') missing++;
      }
      pending = UnprocessedKeys?.[stack.ordersTable]?.Keys as { orderId: string }[] | undefined;
    }
  }
  return { twice, missing };
}

/**
 * Until every order is parked at the warehouse step: nothing left in the queue (queue mode),
 * and `expected` executions parked. Seconds waited, or undefined after `timeoutMs`.
 */
async function untilDrained(stack: Stack, expected: number, timeoutMs = DRAIN_TIMEOUT_MS) {
  const began = performance.now();
  for (;;) {
    const { running, parked } = await cloudHealth(stack.ctx.cloud.url);
    if (running === parked && parked >= expected && (await queueDepth(stack)) === 0) {
      return (performance.now() - began) / 1000;
    }
    if (performance.now() - began > timeoutMs) return undefined;
    await sleep(200);
  }
}

async function parkedNow(stack: Stack) {
  return (await cloudHealth(stack.ctx.cloud.url)).parked;
}

/** Stops or restarts the intake consumer in the local cloud child; resolves on its answer. */
function setConsumer(stack: Stack, on: boolean): Promise<void> {
  const child = stack.ctx.cloud.process;
  return new Promise((resolve) => {
    const onMessage = (message: FromCloud) => {
      if (message.kind !== 'intake-consumer' || message.on !== on) return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.send({ kind: 'intake-consumer', on });
  });
}

/**
 * `held`: the intake consumer is stopped until the last 202 (queue mode), as if the workflow ran
 * on capacity of its own: on two shared cores this is the only way to see what the API itself
 * costs during a burst, apart from the workflow work the queue moves to later.
 */
async function burst(
  stack: Stack,
  orders: number,
  pacedSeconds?: number,
  held = false,
): Promise<BurstResult> {
  if (held) await setConsumer(stack, false);
  const before = await parkedNow(stack);
  const latencies: number[] = [];
  const accepted: string[] = [];
  const errors: Record<string, number> = {};
  const began = performance.now();
  const stopSampling = sampleDepth(stack, began);
  const record = async (i: number, due: number) => {
    try {
      const response = await send(stack, i);
      if (response.status === 202) {
        latencies.push(performance.now() - due);
        accepted.push((JSON.parse(response.body) as { orderId: string }).orderId);
      } else errors[String(response.status)] = (errors[String(response.status)] ?? 0) + 1;
    } catch (error) {
      const key = (error as { code?: string }).code ?? (error as Error).name;
      errors[key] = (errors[key] ?? 0) + 1;
    }
  };
  if (pacedSeconds) {
    // Open loop: request i is due at i/rate whatever happened before (no coordinated omission).
    const pending: Promise<void>[] = [];
    for (let i = 0; i < orders; i++) {
      const due = began + (i * pacedSeconds * 1000) / orders;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      pending.push(record(i, due));
    }
    await Promise.all(pending);
  } else {
    // Closed loop: CONCURRENCY senders, each sending its next order when the last is answered.
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < orders) await record(next++, performance.now());
      }),
    );
  }
  if (held) await setConsumer(stack, true);
  const drained = await untilDrained(stack, before + accepted.length);
  const depth = await stopSampling();
  const { twice, missing } = await startedTwice(stack, accepted);
  return {
    orders,
    accepted: accepted.length,
    errors,
    latency: summarize(latencies),
    lost: missing,
    startedTwice: twice,
    drainSeconds: drained === undefined ? null : (performance.now() - began) / 1000,
    depth,
  };
}

function printBurst(mode: Mode, label: string, r: BurstResult) {
  const errorText = Object.entries(r.errors)
    .map(([kind, n]) => `${n}× ${kind}`)
    .join(', ');
  const peak = Math.max(0, ...r.depth.map(([, d]) => d));
  console.log(
    `${mode} mode, ${label}: submit p50 ${ms(r.latency.p50)}, p99 ${ms(r.latency.p99)}, ` +
      `max ${ms(r.latency.max)}; ${r.accepted}/${r.orders} accepted (${errorText || 'no errors'}); ` +
      `lost ${r.lost}, started twice ${r.startedTwice}; all at the warehouse step after ` +
      `${r.drainSeconds?.toFixed(1) ?? 'more than the timeout'} s; queue depth peak ${peak}`,
  );
  const every = Math.max(1, Math.ceil(r.depth.length / 24));
  console.log(
    `   queue depth over time (s: messages): ${r.depth
      .filter((_, i) => i % every === 0)
      .map(([t, d]) => `${t.toFixed(0)}:${d}`)
      .join(' ')}`,
  );
}

/** One order at a time on an idle stack: the 202 -> the workflow's first step. */
async function idleLatency(stack: Stack): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 15; i++) {
    const before = await parkedNow(stack);
    const response = await send(stack, i);
    const answered = performance.now();
    const { orderId } = JSON.parse(response.body) as { orderId: string };
    for (;;) {
      const { Responses } = await stack.documents.send(
        new BatchGetCommand({ RequestItems: { [stack.ordersTable]: { Keys: [{ orderId }] } } }),
      );
      const updates = (Responses?.[stack.ordersTable]?.[0]?.updates ?? []) as { step: string }[];
      if (updates.some((u) => u.step === 'ReserveInventory')) break;
      await sleep(2);
    }
    if (i >= 3) samples.push(performance.now() - answered); // the first few warm up
    await untilDrained(stack, before + 1, 30_000);
  }
  return summarize(samples).p50;
}

function depthChart(series: { label: string; depth: [number, number][] }[]): string {
  const width = 720;
  const height = 260;
  const pad = 40;
  const maxT = Math.max(1, ...series.flatMap((s) => s.depth.map(([t]) => t)));
  const maxD = Math.max(1, ...series.flatMap((s) => s.depth.map(([, d]) => d)));
  const x = (t: number) => pad + (t / maxT) * (width - 2 * pad);
  const y = (d: number) => height - pad - (d / maxD) * (height - 2 * pad);
  const colours = ['#7c3aed', '#0f766e'];
  const lines = series.map(
    (s, i) =>
      `<polyline fill="none" stroke="${colours[i % colours.length]}" stroke-width="2" points="${s.depth
        .map(([t, d]) => `${x(t).toFixed(1)},${y(d).toFixed(1)}`)
        .join(' ')}"/>` +
      `<text x="${width - pad - 220}" y="${pad + 16 * i}" fill="${colours[i % colours.length]}" font-size="12">${s.label}</text>`,
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">` +
    `<title>Intake queue depth during the bursts</title>` +
    `<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#999"/>` +
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#999"/>` +
    `<text x="${pad}" y="${height - 10}" font-size="12">0 s</text>` +
    `<text x="${width - pad - 30}" y="${height - 10}" font-size="12">${maxT.toFixed(0)} s</text>` +
    `<text x="4" y="${pad}" font-size="12">${maxD}</text>` +
    `${lines.join('')}</svg>\n`
  );
}

const results: IntakeBenchResults = { modes: {}, drain: [], idle: {} };

if (only.has('modes') || only.has('idle')) {
  for (const mode of ['direct', 'queue'] as const) {
    const stack = await openStack(mode);
    try {
      // Warm-up, not measured: route modules load, containers start, connections open.
      for (let i = 0; i < 20; i++) await send(stack, i);
      await untilDrained(stack, 20, 60_000);
      if (only.has('idle')) {
        results.idle[mode] = await idleLatency(stack);
        console.log(
          `${mode} mode, idle: 202 -> first workflow step p50 ${ms(results.idle[mode]!)}`,
        );
      }
      if (only.has('modes')) {
        const fast = await burst(stack, 1000);
        printBurst(mode, `1,000 orders, ${CONCURRENCY} in flight`, fast);
        const paced = await burst(stack, 2000, 10);
        printBurst(mode, '2,000 orders over 10 s', paced);
        results.modes[mode] = { fast, paced };
        if (mode === 'queue') {
          const heldFast = await burst(stack, 1000, undefined, true);
          printBurst(mode, `1,000 orders, ${CONCURRENCY} in flight, consumer held`, heldFast);
          const heldPaced = await burst(stack, 2000, 10, true);
          printBurst(mode, '2,000 orders over 10 s, consumer held', heldPaced);
          results.held = { fast: heldFast, paced: heldPaced };
        }
      }
    } finally {
      await stack.stop();
    }
  }
  const queue = results.modes.queue;
  if (queue) {
    mkdirSync('.bench', { recursive: true });
    writeFileSync(
      '.bench/intake-queue-depth.svg',
      depthChart([
        { label: `1,000 orders, ${CONCURRENCY} in flight`, depth: queue.fast.depth },
        { label: '2,000 orders over 10 s', depth: queue.paced.depth },
      ]),
    );
    console.log('   queue depth chart written to .bench/intake-queue-depth.svg');
  }
}

if (only.has('drain')) {
  for (const maximumConcurrency of [2, 5, 10]) {
    const stack = await openStack('queue', maximumConcurrency);
    try {
      for (let i = 0; i < 20; i++) await send(stack, i);
      await untilDrained(stack, 20, 60_000);
      const r = await burst(stack, 500);
      const ordersPerSecond = r.drainSeconds ? r.accepted / r.drainSeconds : null;
      results.drain.push({ maximumConcurrency, ordersPerSecond });
      console.log(
        `drain, MaximumConcurrency ${maximumConcurrency}: 500 orders at the warehouse step at ` +
          `${ordersPerSecond?.toFixed(1) ?? 'not all'} orders/s (lost ${r.lost}, twice ${r.startedTwice})`,
      );
    } finally {
      await stack.stop();
    }
  }
}

if (process.env.BENCH_RESULTS_FILE) {
  writeFileSync(process.env.BENCH_RESULTS_FILE, JSON.stringify(results, null, 2));
}
process.exit(0);
