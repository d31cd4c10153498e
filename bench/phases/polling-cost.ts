import { getOrder, orderBody, packOrder, submitOrder } from '../support/order-api';
import { sleep, type BenchContext } from './context';

export interface PollingClientResult {
  orders: number;
  completed: number;
  /** Status requests (GET /api/orders/{id}) per order; the one POST each is not counted. */
  requestsPerOrder: number;
  throttled: number;
  notModified: number;
  /** How long after the order shipped the client found out, averaged, seconds. */
  staleSeconds: number;
}

export interface PollingCostResult {
  packAfterSeconds: number;
  honouring: PollingClientResult;
  fixed: PollingClientResult;
  /** honouring ÷ fixed requests per order. */
  ratio: number;
  wallSeconds: number;
}

interface OrderView {
  status: string;
  updatedAt: string;
  nextPollAt: string | null;
}

interface Polled {
  requests: number;
  throttled: number;
  notModified: number;
  view: OrderView;
}

const TERMINAL = new Set(['SHIPPED', 'FAILED']);

/**
 * A status read as the tracking page makes it (components/orders/use-live-order.ts): a
 * conditional GET with the ETag last received, so an unchanged order answers 304 and the
 * server can tell an empty poll from a catch-up read.
 */
class StatusReader {
  private held?: { etag: string; view: OrderView };
  readonly counts = { requests: 0, throttled: 0, notModified: 0 };

  constructor(
    private readonly ctx: BenchContext,
    private readonly token: string,
    private readonly orderId: string,
  ) {}

  /** The order as now known (undefined on 429), and the server's Retry-After in ms. */
  async read(): Promise<{ view?: OrderView; retryAfterMs?: number }> {
    const response = await getOrder(this.ctx.appUrl, this.token, this.orderId, this.held?.etag);
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
async function pollHonouring(reader: StatusReader, first: string): Promise<Polled> {
  let notBefore = Date.parse(first);
  for (;;) {
    await sleep(Math.max(0, notBefore - Date.now()));
    const { view, retryAfterMs } = await reader.read();
    if (view && TERMINAL.has(view.status)) return { ...reader.counts, view };
    const fromBody = view?.nextPollAt ? Date.parse(view.nextPollAt) : 0;
    notBefore = Math.max(fromBody, Date.now() + (retryAfterMs ?? 1000));
  }
}

/** The naive client: once a second, whatever the server says. */
async function pollEverySecond(reader: StatusReader): Promise<Polled> {
  for (;;) {
    await sleep(1000);
    const { view } = await reader.read();
    if (view && TERMINAL.has(view.status)) return { ...reader.counts, view };
  }
}

/**
 * Both clients at once, each on its own orders of the same workflow (success card, packed by
 * warehouse staff a fixed time after submit). Shoppers differ per client, so neither's
 * throttle state touches the other's. `fixedDone` settles when the every-second client has
 * seen every order ship; the honouring client then sleeps until `nextPollAt` (about two
 * minutes, the warehouse step's expected duration), which other phases may use.
 */
export function measurePollingCost(
  ctx: BenchContext,
  ordersPerClient = 4,
  packAfterSeconds = 20,
): { fixedDone: Promise<unknown>; result: Promise<PollingCostResult> } {
  const started = performance.now();
  const run = async (kind: 'honouring' | 'fixed', token: string) => {
    const results = await Promise.all(
      Array.from({ length: ordersPerClient }, async (_, i) => {
        const response = await submitOrder(
          ctx.appUrl,
          token,
          crypto.randomUUID(),
          orderBody(i % 2 === 0 ? 'harbor-house-blend' : 'ethiopia-guji'),
        );
        if (response.status !== 202) throw new Error(`submit answered ${response.status}`);
        const placed = JSON.parse(response.body) as { orderId: string; nextPollAt: string };
        const pack = sleep(packAfterSeconds * 1000).then(() =>
          packOrder(ctx.appUrl, ctx.staffToken, placed.orderId),
        );
        const reader = new StatusReader(ctx, token, placed.orderId);
        const polled =
          kind === 'honouring'
            ? await pollHonouring(reader, placed.nextPollAt)
            : await pollEverySecond(reader);
        const packed = await pack;
        if (packed.status !== 204) console.log(`  pack answered ${packed.status}: ${packed.body}`);
        return { ...polled, learnedAt: Date.now() };
      }),
    );
    const completed = results.filter((r) => r.view.status === 'SHIPPED').length;
    return {
      orders: ordersPerClient,
      completed,
      requestsPerOrder: results.reduce((sum, r) => sum + r.requests, 0) / ordersPerClient,
      throttled: results.reduce((sum, r) => sum + r.throttled, 0),
      notModified: results.reduce((sum, r) => sum + r.notModified, 0),
      staleSeconds:
        results.reduce((sum, r) => sum + (r.learnedAt - Date.parse(r.view.updatedAt)), 0) /
        ordersPerClient /
        1000,
    } satisfies PollingClientResult;
  };
  const honouring = run('honouring', ctx.shopperTokens[1 % ctx.shopperTokens.length]!);
  const fixed = run('fixed', ctx.shopperTokens[2 % ctx.shopperTokens.length]!);
  const result = Promise.all([honouring, fixed]).then(([h, f]) => ({
    packAfterSeconds,
    honouring: h,
    fixed: f,
    ratio: h.requestsPerOrder / f.requestsPerOrder,
    wallSeconds: (performance.now() - started) / 1000,
  }));
  return { fixedDone: fixed, result };
}
