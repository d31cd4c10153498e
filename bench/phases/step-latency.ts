import type { OrderUpdate } from '../../amplify/functions/shared/order-status';
import { deterministicUuid } from '../../lib/orders/place-order';
import { PRODUCTS } from '../../lib/catalog/products';
import { subscribeToOrder } from '../support/amplify-node';
import type { FromCloud, ToCloud } from '../support/cloud-messages';
import { cloudHealth, orderBody, packOrder, submitOrder } from '../support/order-api';
import { summarize } from '../support/stats';
import { sleep, subOf, type BenchContext } from './context';

export interface StepLatencyResult {
  orders: number;
  finished: number;
  messages: number;
  duplicates: number;
  /** Updates recorded (by seq) that never reached the subscriber. */
  missed: number;
  /** Update's own `timestamp` (set by the handler as it records the step) → message received. */
  fromUpdate: ReturnType<typeof summarize>;
  /** The engine's TaskStateEntered → first message of that step received. */
  fromStateEntered: ReturnType<typeof summarize>;
  errors: string[];
}

interface Received {
  update: OrderUpdate;
  at: number;
}

/**
 * Orders go through the whole workflow (half with the card that fails twice, for retry
 * updates), each watched by an aws-amplify v6 subscription. The subscriptions are opened
 * before the orders are placed, so the first updates are not lost to the subscribe race; that
 * is why they run as Warehouse staff, whom the resolver lets subscribe to an order that does
 * not exist yet (a shopper may only subscribe to an order already recorded as theirs).
 */
export async function measureStepLatency(ctx: BenchContext, orders = 20) {
  const token = ctx.shopperTokens[0]!;
  const sub = subOf(token);
  const planned = Array.from({ length: orders }, (_, i) => {
    const key = crypto.randomUUID();
    return {
      key,
      // The order API derives the order id from (shopper, Idempotency-Key); checked below.
      orderId: deterministicUuid(`${sub}:${key}`),
      card: i % 2 === 0 ? ('success' as const) : ('transient' as const),
      sku: PRODUCTS[i % PRODUCTS.length]!.slug,
    };
  });
  const received = new Map<string, Received[]>();
  const entered = new Map<string, number>();
  const finished = new Set<string>();
  const errors: string[] = [];
  const packs: Promise<unknown>[] = [];

  const { subscriptions: before } = await cloudHealth(ctx.cloud.url);
  const unsubscribes = planned.map(({ orderId }) => {
    received.set(orderId, []);
    return subscribeToOrder(
      orderId,
      (update, at) => {
        received.get(orderId)!.push({ update, at });
        if (update.step === 'AwaitWarehouse' && update.status === 'WAITING') {
          // A person packs a little later; the pack itself is not part of any latency.
          packs.push(
            sleep(300)
              .then(() => packOrder(ctx.appUrl, ctx.staffToken, orderId))
              .then((r) => {
                if (r.status !== 204) errors.push(`pack ${orderId}: ${r.status} ${r.body}`);
              }),
          );
        }
        if (update.orderStatus === 'SHIPPED' || update.orderStatus === 'FAILED')
          finished.add(orderId);
      },
      (error) => errors.push(`subscription ${orderId}: ${JSON.stringify(error)}`),
    );
  });
  await until(
    async () => (await cloudHealth(ctx.cloud.url)).subscriptions >= before + orders,
    15_000,
    'subscriptions to be acknowledged',
  );

  const onCloudMessage = (message: FromCloud) => {
    if (message.kind === 'state-entered')
      entered.set(`${message.orderId}#${message.state}`, message.at);
  };
  ctx.cloud.process.on('message', onCloudMessage);
  ctx.cloud.process.send({ kind: 'watch', on: true } satisfies ToCloud);

  // Spaced out, so this measures delivery, not a burst's queueing (phase 1 covers bursts).
  for (const order of planned) {
    const response = await submitOrder(
      ctx.appUrl,
      token,
      order.key,
      orderBody(order.sku, order.card),
    );
    const orderId =
      response.status === 202 ? (JSON.parse(response.body) as { orderId: string }).orderId : '';
    if (orderId !== order.orderId)
      errors.push(
        `submit: ${response.status}, order id ${orderId} not the expected ${order.orderId}`,
      );
    await sleep(500);
  }
  await until(async () => finished.size === orders, 60_000, 'every order to finish');
  await Promise.all(packs);
  await sleep(500); // stragglers and duplicates
  ctx.cloud.process.send({ kind: 'watch', on: false } satisfies ToCloud);
  ctx.cloud.process.off('message', onCloudMessage);
  for (const unsubscribe of unsubscribes) unsubscribe();

  const fromUpdate: number[] = [];
  const fromStateEntered: number[] = [];
  let messages = 0;
  let duplicates = 0;
  let missed = 0;
  for (const [orderId, list] of received) {
    const seen = new Set<number>();
    const firstOfStep = new Set<string>();
    for (const { update, at } of list) {
      messages += 1;
      if (seen.has(update.seq)) {
        duplicates += 1;
        continue;
      }
      seen.add(update.seq);
      fromUpdate.push(at - Date.parse(update.timestamp));
      if (!firstOfStep.has(update.step)) {
        firstOfStep.add(update.step);
        const enteredAt = entered.get(`${orderId}#${update.step}`);
        if (enteredAt !== undefined) fromStateEntered.push(at - enteredAt);
      }
    }
    // In queue mode the order is written with its first update (Queued, waiting: seq 1); a
    // page reads it with the order, and nothing publishes it. Every later seq is published.
    const lastSeq = Math.max(0, ...seen);
    const written = list.some(({ update }) => update.step === 'Queued') ? 1 : 0;
    missed += lastSeq - written - [...seen].filter((seq) => seq > written).length;
  }
  return {
    orders,
    finished: finished.size,
    messages,
    duplicates,
    missed,
    fromUpdate: summarize(fromUpdate),
    fromStateEntered: summarize(fromStateEntered),
    errors,
  } satisfies StepLatencyResult;
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      console.log(`  (gave up waiting for ${what} after ${timeoutMs} ms)`);
      return;
    }
    await sleep(100);
  }
}
