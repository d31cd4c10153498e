/**
 * `npx tsx bench/cpu-per-order.ts [orders]`: CPU spent per order by the offline stack, from the
 * POST to the moment the workflow parks on the warehouse step's task token.
 *
 * Everything runs in this one process, as the order integration tests run it
 * (tests/support/offline-stack.ts): the order API route code, the local cloud (gateway,
 * dynalite, AppSync, Step Functions, Lambda) and the workflow's handlers. So the figure is
 * `process.cpuUsage()` (user + system) over the measured orders divided by their number: all
 * of it, not only the local cloud's share. It is therefore not the same figure as a profile of
 * a local cloud in its own process, and is compared only with itself.
 *
 * Waiting is event-driven (the Step Functions stand-in's `TaskSubmitted` for the warehouse
 * task): polling the table would add CPU that no real order spends.
 *
 * Env: BENCH_ORDERS (measured orders per round, default 200), BENCH_CONCURRENCY (orders in
 * flight at once, default 8), BENCH_ROUNDS (rounds of caches off + on, default 3).
 */
import { pathToFileURL } from 'node:url';
import { setDocumentCaching } from '../local-cloud/appsync/document-cache';
import type { LocalService } from '../local-cloud/core/service';
import { setExpressionCaching } from '../local-cloud/dynamodb/expression-cache';
import type {
  ExecutionEventMessage,
  StepFunctionsService,
} from '../local-cloud/stepfunctions/service';
import { PRODUCTS } from '../lib/catalog/products';
import { loadRoutes, orderBody, postOrder } from '../tests/orders/order-api';
import { startOfflineStack, type OfflineStack } from '../tests/support/offline-stack';

export interface CpuPerOrderOptions {
  /** Measured orders (after the warm-up). Default 200. */
  orders?: number;
  /** Orders in flight at once. Default 8. */
  concurrency?: number;
  /** Orders placed first and not measured, so JIT and connection set-up stay out. Default 100. */
  warmup?: number;
  /** A stack to reuse (it must be an in-process one); otherwise one is started and closed. */
  stack?: OfflineStack;
}

export interface CpuPerOrderResult {
  cpuMsPerOrder: number;
  ordersPerSecond: number;
}

/** Requests the local cloud's services handle per order, by service and operation. */
export type RequestCounts = Record<string, number>;

interface Session {
  stack: OfflineStack;
  place: (index: number) => Promise<void>;
  counts: RequestCounts;
  close: () => Promise<void>;
}

async function openSession(reuse?: OfflineStack): Promise<Session> {
  const stack =
    reuse ??
    (await startOfflineStack({
      stock: Object.fromEntries(PRODUCTS.map((product) => [product.slug, 1_000_000])),
    }));
  const routes = await loadRoutes();
  const token = await stack.shopper('cpu-bench@example.com');
  const services = servicesOf(stack);
  const sfn = services.find((service) => service.name === 'stepfunctions') as StepFunctionsService;

  // The warehouse task is the workflow's only `.waitForTaskToken` state: its TaskSubmitted
  // means the await-warehouse handler has returned, i.e. the order is parked.
  // An order may park before its 202 has been read, so arrivals are kept until claimed.
  const parked = new Set<string>();
  const waiting = new Map<string, () => void>();
  const onEvent = (message: ExecutionEventMessage) => {
    if (message.event.type !== 'TaskSubmitted') return;
    const resolve = waiting.get(message.executionArn);
    if (resolve) resolve();
    else parked.add(message.executionArn);
  };
  sfn.events.on('execution-event', onEvent);

  const counts: RequestCounts = {};
  const unwrap = services.map((service) => countRequests(service, counts));

  const place = async (index: number) => {
    const body = orderBody({ sku: PRODUCTS[index % PRODUCTS.length]!.slug });
    const response = await postOrder(routes, token, body);
    if (response.status !== 202) {
      throw new Error(`POST /api/orders answered ${response.status}: ${await response.text()}`);
    }
    const { executionArn } = (await response.json()) as { executionArn: string };
    if (parked.delete(executionArn)) return;
    await new Promise<void>((resolve) => waiting.set(executionArn, resolve)).finally(() =>
      waiting.delete(executionArn),
    );
  };
  return {
    stack,
    place: (index) => raceParked(place(index), index),
    counts,
    async close() {
      sfn.events.off('execution-event', onEvent);
      for (const restore of unwrap) restore();
      if (!reuse) await stack.close();
    },
  };
}

/**
 * The local cloud's services, whether the stack lists them (an array) or names them (an object
 * keyed by service): the composition root is being reshaped and either may be current.
 */
function servicesOf(stack: OfflineStack): LocalService[] {
  const services = stack.cloud.services as unknown as
    LocalService[] | Record<string, LocalService | undefined>;
  const list = Array.isArray(services) ? services : Object.values(services);
  return list.filter((service): service is LocalService => service !== undefined);
}

/** A stuck order fails the run instead of hanging it. */
function raceParked(placing: Promise<void>, index: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`order ${index} did not park in 30 s`)), 30_000);
  });
  return Promise.race([placing, timeout]).finally(() => clearTimeout(timer));
}

/** Wraps `service.handle` to count requests; returns the function that unwraps it. */
function countRequests(service: LocalService, counts: RequestCounts): () => void {
  const original = service.handle.bind(service);
  service.handle = (req, res) => {
    const target = req.headers['x-amz-target'];
    const operation =
      typeof target === 'string'
        ? target.slice(target.indexOf('.') + 1)
        : `${req.method} ${req.url.split('?')[0]}`;
    const key = `${service.name} ${operation}`;
    counts[key] = (counts[key] ?? 0) + 1;
    return original(req, res);
  };
  return () => {
    service.handle = original;
  };
}

async function placeMany(session: Session, first: number, count: number, concurrency: number) {
  let next = first;
  const end = first + count;
  const lane = async () => {
    while (next < end) await session.place(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

async function measure(
  session: Session,
  first: number,
  orders: number,
  concurrency: number,
): Promise<CpuPerOrderResult & { counts: RequestCounts }> {
  for (const key of Object.keys(session.counts)) delete session.counts[key];
  const cpu = process.cpuUsage();
  const began = performance.now();
  await placeMany(session, first, orders, concurrency);
  const seconds = (performance.now() - began) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    cpuMsPerOrder: (used.user + used.system) / 1000 / orders,
    ordersPerSecond: orders / seconds,
    counts: { ...session.counts },
  };
}

/** Turns the local cloud's parse caches (AppSync documents, dynalite expressions) off or on. */
function setParseCaches(enabled: boolean): void {
  setDocumentCaching(enabled);
  setExpressionCaching(enabled);
}

/** One measured batch (after a warm-up) on the current code; `caches: false` turns them off. */
export async function benchCpuPerOrder(
  options: CpuPerOrderOptions & { caches?: boolean } = {},
): Promise<CpuPerOrderResult> {
  const session = await openSession(options.stack);
  setParseCaches(options.caches ?? true);
  try {
    const warmup = options.warmup ?? 100;
    const concurrency = options.concurrency ?? 8;
    await placeMany(session, 0, warmup, concurrency);
    const { cpuMsPerOrder, ordersPerSecond } = await measure(
      session,
      warmup,
      options.orders ?? 200,
      concurrency,
    );
    return { cpuMsPerOrder, ordersPerSecond };
  } finally {
    setParseCaches(true);
    await session.close();
  }
}

function perOrder(counts: RequestCounts, orders: number): string {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const rows = Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `    ${key}: ${(n / orders).toFixed(2)}`);
  return [`  local-cloud requests per order: ${(total / orders).toFixed(2)}`, ...rows].join('\n');
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Rounds alternate caches off / on on one stack, so drift (JIT, heap growth, other load on
 * the machine) falls on both sides alike; each side is summarised by its median round.
 */
async function main() {
  const orders = Number(process.argv[2] ?? process.env.BENCH_ORDERS ?? 200);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const warmup = 100;
  const session = await openSession();
  const results: Record<'off' | 'on', CpuPerOrderResult[]> = { off: [], on: [] };
  try {
    await placeMany(session, 0, warmup, concurrency);
    let first = warmup;
    let counts: RequestCounts = {};
    for (let round = 1; round <= rounds; round += 1) {
      for (const side of ['off', 'on'] as const) {
        setParseCaches(side === 'on');
        const result = await measure(session, first, orders, concurrency);
        first += orders;
        results[side].push(result);
        counts = result.counts;
        console.log(
          `round ${round}, parse caches ${side.padEnd(3)}: ` +
            `${result.cpuMsPerOrder.toFixed(2)} ms CPU/order, ` +
            `${result.ordersPerSecond.toFixed(1)} orders/s`,
        );
      }
    }
    const summary = (side: 'off' | 'on') =>
      `${median(results[side].map((r) => r.cpuMsPerOrder)).toFixed(2)} ms CPU/order, ` +
      `${median(results[side].map((r) => r.ordersPerSecond)).toFixed(1)} orders/s`;
    console.log(
      `\nCPU per order, POST to parked at the warehouse step, ${orders} orders per round, ` +
        `${concurrency} in flight, median of ${rounds} rounds (process CPU of the whole ` +
        `in-process stack: order API route code, local cloud and handlers):`,
    );
    console.log(`  parse caches off: ${summary('off')}`);
    console.log(`  parse caches on:  ${summary('on')}`);
    console.log(perOrder(counts, orders));
    console.log(
      "  The handler-side changes (one UpdateItem per status; the publisher's reused signer, " +
        'native SHA-256 and node:http) have no switch: compare with a run of this script on ' +
        'an earlier commit. The profile that set the target (32-33 ms of local-cloud CPU per ' +
        'order) measured the local cloud alone with another harness, so it is not this figure.',
    );
  } finally {
    setParseCaches(true);
    await session.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
  // Handlers' keep-alive sockets and SDK timers would otherwise hold the process open.
  process.exit(0);
}
