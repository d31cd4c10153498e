import { PRODUCTS } from '../../lib/catalog/products';
import { cloudHealth, orderBody, submitOrder } from '../support/order-api';
import { sampleCpu } from '../support/cpu';
import { summarize } from '../support/stats';
import { sleep, type BenchContext } from './context';

export interface SubmitLatencyResult {
  rate: number;
  seconds: number;
  sent: number;
  accepted: number;
  errors: Record<string, number>;
  /** From the scheduled send time to the full 202 response, ms. */
  latency: ReturnType<typeof summarize>;
  /** How late the sender started a request against its schedule, ms (sender health). */
  senderLagMax: number;
  /** CPU per process while sending and until the last 202. */
  cpu: string;
  /** Seconds after the last send until the last 202 arrived. */
  lastReplySeconds: number;
}

const skus = PRODUCTS.map((product) => product.slug);

/** The i-th order of a run: shoppers and products in turn, a new Idempotency-Key each. */
export function submitNth(ctx: BenchContext, i: number) {
  return submitOrder(
    ctx.appUrl,
    ctx.shopperTokens[i % ctx.shopperTokens.length]!,
    crypto.randomUUID(),
    orderBody(skus[i % skus.length]!),
  );
}

/**
 * Open loop: request i is due at start + i/rate whatever happened to earlier ones, and its
 * latency counts from that due time, so a stalled server cannot hide its backlog
 * (no coordinated omission).
 */
export async function measureSubmitLatency(
  ctx: BenchContext,
  rate = 100,
  seconds = 10,
): Promise<SubmitLatencyResult> {
  const send = (i: number) => submitNth(ctx, i);

  // Warm-up, not measured: route modules load, the JWKS is fetched, connections open.
  for (let i = 0; i < 20; i += 1) await send(i);
  await untilWorkflowsParked(ctx, 30_000);

  const cpu = sampleCpu({
    'next start': ctx.appPid,
    'local cloud': ctx.cloud.process.pid,
    bench: process.pid,
  });
  const total = rate * seconds;
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let senderLagMax = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now() + 50;
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    senderLagMax = Math.max(senderLagMax, performance.now() - due);
    pending.push(
      send(i).then(
        (response) => {
          if (response.status === 202) latencies.push(performance.now() - due);
          else errors[String(response.status)] = (errors[String(response.status)] ?? 0) + 1;
        },
        (error: Error) => {
          const key = (error as { code?: string }).code ?? error.name;
          errors[key] = (errors[key] ?? 0) + 1;
        },
      ),
    );
  }
  const lastSent = performance.now();
  await Promise.all(pending);
  return {
    rate,
    seconds,
    sent: total,
    accepted: latencies.length,
    errors,
    latency: summarize(latencies),
    senderLagMax,
    cpu: cpu(),
    lastReplySeconds: (performance.now() - lastSent) / 1000,
  };
}

/**
 * Waits until every order placed so far is parked on its warehouse task token; returns the
 * seconds waited, or undefined when `timeoutMs` passed first.
 */
export async function untilWorkflowsParked(ctx: BenchContext, timeoutMs: number) {
  const began = performance.now();
  for (;;) {
    const { running, parked } = await cloudHealth(ctx.cloud.url);
    if (running === parked) return (performance.now() - began) / 1000;
    if (performance.now() - began > timeoutMs) return undefined;
    await sleep(200);
  }
}
