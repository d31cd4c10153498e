import { call, orderBody, submitOrder } from '../support/order-api';
import { sleep, type BenchContext } from './context';

/**
 * How an order of the polling phase ends, and what makes it end that way. `decideAfter` is in
 * units of `packAfterSeconds`: most orders are decided then, one warehouse is slower.
 */
export const OUTCOMES = {
  /** Success card, packed by warehouse staff `packAfterSeconds` after submit. */
  shipped: { card: '4242424242424242', decision: 'packed', decideAfter: 1, status: 'SHIPPED' },
  /** The charge fails twice (retried with back-off), then goes through; packed as above. */
  retried: { card: '4000000000000119', decision: 'packed', decideAfter: 1, status: 'SHIPPED' },
  /** Declined: refunded and released straight away, no warehouse step. */
  declined: { card: '4000000000000002', decision: undefined, decideAfter: 0, status: 'FAILED' },
  /** The warehouse rejects the order: refund, release. */
  rejected: { card: '4242424242424242', decision: 'rejected', decideAfter: 1, status: 'FAILED' },
  /** Packed, by a slower warehouse (4.5 × `packAfterSeconds`, still within its 2 minutes). */
  slow: { card: '4242424242424242', decision: 'packed', decideAfter: 4.5, status: 'SHIPPED' },
} as const;
export type Outcome = keyof typeof OUTCOMES;
const OUTCOME_NAMES = Object.keys(OUTCOMES) as Outcome[];

export interface PollingFigures {
  orders: number;
  /** Orders that ended as their outcome should. */
  completed: number;
  /** Status requests (GET /api/orders/{id}) per order; the one POST each is not counted. */
  requestsPerOrder: number;
  throttled: number;
  notModified: number;
  /** Time from the final change (its `updatedAt`) to the client knowing it, mean, seconds. */
  staleSeconds: number;
  /** The same, 95th percentile (nearest rank), seconds. */
  staleP95Seconds: number;
}

export interface PollingClientResult extends PollingFigures {
  byOutcome: Record<Outcome, PollingFigures>;
}

export interface PollingCostResult {
  packAfterSeconds: number;
  honouring: PollingClientResult;
  fixed: PollingClientResult;
  /** honouring ÷ fixed status requests, over all outcomes. */
  ratio: number;
  /** The same per outcome. */
  ratioByOutcome: Record<Outcome, number>;
  wallSeconds: number;
}

interface OrderView {
  status: string;
  updatedAt: string;
  nextPollAt: string | null;
}

interface Polled {
  outcome: Outcome;
  requests: number;
  throttled: number;
  notModified: number;
  view: OrderView;
  learnedAt: number;
}

const TERMINAL = new Set(['SHIPPED', 'FAILED']);

/**
 * A status read as the tracking page makes it (components/orders/use-live-order.ts): a
 * conditional GET with the ETag last received, and `Prefer: watch` when it stands for a page
 * showing the order.
 */
class StatusReader {
  private held?: { etag: string; view: OrderView };
  readonly counts = { requests: 0, throttled: 0, notModified: 0 };

  constructor(
    private readonly ctx: BenchContext,
    private readonly token: string,
    private readonly orderId: string,
    private readonly watching: boolean,
  ) {}

  /** The order as now known (undefined on 429), and the server's Retry-After in ms. */
  async read(): Promise<{ view?: OrderView; retryAfterMs?: number }> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (this.held) headers['if-none-match'] = this.held.etag;
    if (this.watching) headers.prefer = 'watch';
    const response = await call(`${this.ctx.appUrl}/api/orders/${this.orderId}`, { headers });
    this.counts.requests += 1;
    const seconds = Number(response.headers['retry-after']);
    const retryAfterMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
    if (response.status === 429) {
      this.counts.throttled += 1;
      return { retryAfterMs };
    }
    if (response.status === 304 && this.held) {
      this.counts.notModified += 1;
      return { view: this.held.view, retryAfterMs };
    }
    if (response.status !== 200) throw new Error(`status read answered ${response.status}`);
    const view = JSON.parse(response.body) as OrderView;
    this.held = { etag: String(response.headers.etag ?? ''), view };
    return { view, retryAfterMs };
  }
}

/**
 * Asks no earlier than the server says: `nextPollAt` from the body, Retry-After on 304 (no
 * body) and 429, the later of the two when both are there.
 */
async function pollHonouring(reader: StatusReader, first: string) {
  let notBefore = Date.parse(first);
  for (;;) {
    await sleep(Math.max(0, notBefore - Date.now()));
    const { view, retryAfterMs } = await reader.read();
    if (view && TERMINAL.has(view.status)) return view;
    const fromBody = view?.nextPollAt ? Date.parse(view.nextPollAt) : 0;
    notBefore = Math.max(fromBody, Date.now() + (retryAfterMs ?? 1000));
  }
}

/** The naive client: once a second, whatever the server says. */
async function pollEverySecond(reader: StatusReader) {
  for (;;) {
    await sleep(1000);
    const { view } = await reader.read();
    if (view && TERMINAL.has(view.status)) return view;
  }
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)] ?? NaN;
}

function figuresOf(polled: Polled[]): PollingFigures {
  const stale = polled.map((p) => (p.learnedAt - Date.parse(p.view.updatedAt)) / 1000);
  const sum = (pick: (p: Polled) => number) => polled.reduce((total, p) => total + pick(p), 0);
  return {
    orders: polled.length,
    completed: polled.filter((p) => p.view.status === OUTCOMES[p.outcome].status).length,
    requestsPerOrder: sum((p) => p.requests) / polled.length,
    throttled: sum((p) => p.throttled),
    notModified: sum((p) => p.notModified),
    staleSeconds: stale.reduce((a, b) => a + b, 0) / stale.length,
    staleP95Seconds: p95(stale),
  };
}

function clientResult(polled: Polled[]): PollingClientResult {
  const byOutcome = Object.fromEntries(
    OUTCOME_NAMES.map((o) => [o, figuresOf(polled.filter((p) => p.outcome === o))]),
  ) as Record<Outcome, PollingFigures>;
  return { ...figuresOf(polled), byOutcome };
}

/** The warehouse decision `afterSeconds` after submit, as staff make it in the app. */
async function decideLater(
  ctx: BenchContext,
  orderId: string,
  decision: 'packed' | 'rejected' | undefined,
  afterSeconds: number,
) {
  if (!decision) return;
  await sleep(afterSeconds * 1000);
  const response = await call(`${ctx.appUrl}/api/warehouse/tasks/${orderId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.staffToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(
      decision === 'packed' ? { decision } : { decision, reason: 'Damaged in the warehouse' },
    ),
  });
  if (response.status !== 204) console.log(`  ${decision} answered ${response.status}`);
}

async function placeOrder(ctx: BenchContext, token: string, outcome: Outcome, i: number) {
  const body = JSON.parse(orderBody(i % 2 === 0 ? 'harbor-house-blend' : 'ethiopia-guji')) as {
    payment: { cardNumber: string };
  };
  body.payment.cardNumber = OUTCOMES[outcome].card;
  const response = await submitOrder(ctx.appUrl, token, crypto.randomUUID(), JSON.stringify(body));
  if (response.status !== 202) throw new Error(`submit answered ${response.status}`);
  return JSON.parse(response.body) as { orderId: string; nextPollAt: string };
}

function printOutcomes(result: PollingCostResult) {
  for (const outcome of OUTCOME_NAMES) {
    const h = result.honouring.byOutcome[outcome];
    const f = result.fixed.byOutcome[outcome];
    console.log(
      `   ${outcome.padEnd(8)}: ${(result.ratioByOutcome[outcome] * 100).toFixed(0)} % of the ` +
        `1 s poller's requests (${h.requestsPerOrder.toFixed(1)} vs ${f.requestsPerOrder.toFixed(1)}` +
        `/order, ${h.throttled} × 429); staleness p95 ${h.staleP95Seconds.toFixed(1)} s ` +
        `(1 s poller ${f.staleP95Seconds.toFixed(1)} s); ${h.completed}/${h.orders} as expected`,
    );
  }
  console.log(
    `   all outcomes: ${(result.ratio * 100).toFixed(1)} % of the requests [target <= 10 %], ` +
      `staleness p95 ${result.honouring.staleP95Seconds.toFixed(1)} s [target <= 30 s]`,
  );
}

/**
 * Both clients at once, each on its own orders, `perOutcome` of every outcome. Shoppers differ
 * per client, so neither's throttle state touches the other's. The honouring client stands for
 * the tracking page (`Prefer: watch`). `fixedDone` settles when the every-second client has
 * seen every order end; the honouring client may still be waiting for its next poll.
 */
export function measurePollingCost(
  ctx: BenchContext,
  perOutcome = 2,
  packAfterSeconds = 20,
): { fixedDone: Promise<unknown>; result: Promise<PollingCostResult> } {
  const started = performance.now();
  const run = async (kind: 'honouring' | 'fixed', token: string) => {
    const orders = OUTCOME_NAMES.flatMap((outcome) =>
      Array.from({ length: perOutcome }, (_, i) => ({ outcome, i })),
    );
    const polled = await Promise.all(
      orders.map(async ({ outcome, i }): Promise<Polled> => {
        const placed = await placeOrder(ctx, token, outcome, i);
        const decided = decideLater(
          ctx,
          placed.orderId,
          OUTCOMES[outcome].decision,
          OUTCOMES[outcome].decideAfter * packAfterSeconds,
        );
        const reader = new StatusReader(ctx, token, placed.orderId, kind === 'honouring');
        const view =
          kind === 'honouring'
            ? await pollHonouring(reader, placed.nextPollAt)
            : await pollEverySecond(reader);
        const learnedAt = Date.now();
        await decided;
        return { outcome, ...reader.counts, view, learnedAt };
      }),
    );
    return clientResult(polled);
  };
  const honouring = run('honouring', ctx.shopperTokens[1 % ctx.shopperTokens.length]!);
  const fixed = run('fixed', ctx.shopperTokens[2 % ctx.shopperTokens.length]!);
  const result = Promise.all([honouring, fixed]).then(([h, f]) => {
    const totalRequests = (c: PollingClientResult) => c.requestsPerOrder * c.orders;
    const result: PollingCostResult = {
      packAfterSeconds,
      honouring: h,
      fixed: f,
      ratio: totalRequests(h) / totalRequests(f),
      ratioByOutcome: Object.fromEntries(
        OUTCOME_NAMES.map((o) => [
          o,
          h.byOutcome[o].requestsPerOrder / f.byOutcome[o].requestsPerOrder,
        ]),
      ) as Record<Outcome, number>,
      wallSeconds: (performance.now() - started) / 1000,
    };
    printOutcomes(result);
    return result;
  });
  return { fixedDone: fixed, result };
}
