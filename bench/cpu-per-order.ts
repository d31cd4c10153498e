/**
 * `npx tsx bench/cpu-per-order.ts [orders]`: CPU spent per order by the offline stack, from the
 * POST to the moment the workflow parks on the warehouse step's task token.
 *
 * The stack starts as the order integration tests start it (tests/support/offline-stack.ts):
 * the order API route code and the local cloud (gateway, dynalite, AppSync, Step Functions,
 * Lambda) in this process, the workflow's handlers in the Lambda stand-in's containers, which
 * are child processes of this one. Two figures per order, user + system CPU over the measured
 * orders divided by their number:
 * - `process`: `process.cpuUsage()`, this process only (route code + local cloud);
 * - `with containers`: this process and all its descendants, read from /proc (Linux only),
 *   which adds the handlers. This is the figure returned, where available.
 * Neither is the same figure as a profile of a local cloud alone in its own process; they are
 * compared only with themselves.
 *
 * Waiting is event-driven (the Step Functions stand-in's `TaskSubmitted` for the warehouse
 * task): polling the table would add CPU that no real order spends.
 *
 * Env: BENCH_ORDERS (measured orders per round, default 200), BENCH_CONCURRENCY (orders in
 * flight at once, default 8), BENCH_ROUNDS (rounds of caches off + on, default 4).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  /** This process and its Lambda containers where /proc tells, else this process alone. */
  cpuMsPerOrder: number;
  ordersPerSecond: number;
}

interface Measured extends CpuPerOrderResult {
  /** `process.cpuUsage()` alone: the route code and the local cloud, not the containers. */
  processMsPerOrder: number;
  /** With every descendant process; undefined off Linux. */
  treeMsPerOrder?: number;
  counts: RequestCounts;
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
): Promise<Measured> {
  for (const key of Object.keys(session.counts)) delete session.counts[key];
  const tree = treeCpuMs();
  const cpu = process.cpuUsage();
  const began = performance.now();
  await placeMany(session, first, orders, concurrency);
  const seconds = (performance.now() - began) / 1000;
  const used = process.cpuUsage(cpu);
  const treeAfter = treeCpuMs();
  const processMsPerOrder = (used.user + used.system) / 1000 / orders;
  const treeMsPerOrder =
    tree !== undefined && treeAfter !== undefined ? (treeAfter - tree) / orders : undefined;
  return {
    cpuMsPerOrder: treeMsPerOrder ?? processMsPerOrder,
    processMsPerOrder,
    treeMsPerOrder,
    ordersPerSecond: orders / seconds,
    counts: { ...session.counts },
  };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * CPU of this process and all its descendants so far, in ms: own utime + stime, cutime + cstime
 * (children that already exited and were waited for), and utime + stime of every live
 * descendant. Undefined where there is no /proc.
 */
function treeCpuMs(): number | undefined {
  const stats = new Map<number, { parent: number; own: number; reaped: number }>();
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // Fields after the parenthesised command name, which may itself hold spaces.
        const fields = stat
          .slice(stat.lastIndexOf(')') + 2)
          .split(' ')
          .map(Number);
        stats.set(Number(name), {
          parent: fields[1]!,
          own: fields[11]! + fields[12]!,
          reaped: fields[13]! + fields[14]!,
        });
      } catch {
        // exited while we looked
      }
    }
  } catch {
    return undefined;
  }
  const self = stats.get(process.pid);
  if (!self) return undefined;
  let ticks = self.own + self.reaped;
  for (const [pid, stat] of stats) {
    if (pid === process.pid) continue;
    for (let p = stat.parent; p > 1; p = stats.get(p)?.parent ?? 0) {
      if (p === process.pid) {
        ticks += stat.own;
        break;
      }
    }
  }
  return ticks * TICK_MS;
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
 * Rounds alternate caches off / on on one stack (off-on, on-off, ...), so drift (JIT, heap
 * growth, other load on the machine) falls on both sides alike; each side is summarised by
 * its median round.
 */
async function main() {
  const orders = Number(process.argv[2] ?? process.env.BENCH_ORDERS ?? 200);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
  const warmup = 200;
  const session = await openSession();
  const results: Record<'off' | 'on', Measured[]> = { off: [], on: [] };
  const figures = (r: Measured) =>
    `${r.processMsPerOrder.toFixed(2)} ms process` +
    (r.treeMsPerOrder === undefined ? '' : `, ${r.treeMsPerOrder.toFixed(2)} ms with containers`) +
    `, ${r.ordersPerSecond.toFixed(1)} orders/s`;
  try {
    await placeMany(session, 0, warmup, concurrency);
    let first = warmup;
    let counts: RequestCounts = {};
    for (let round = 1; round <= rounds; round += 1) {
      // ABBA order: whichever side runs first in a round meets more leftover warm-up.
      const sides = round % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const);
      for (const side of sides) {
        setParseCaches(side === 'on');
        const result = await measure(session, first, orders, concurrency);
        first += orders;
        results[side].push(result);
        counts = result.counts;
        console.log(`round ${round}, parse caches ${side.padEnd(3)}: ${figures(result)}`);
      }
    }
    const summary = (side: 'off' | 'on') => {
      const of = (pick: (r: Measured) => number | undefined) => {
        const values = results[side].map(pick).filter((v): v is number => v !== undefined);
        return values.length ? median(values) : undefined;
      };
      return figures({
        processMsPerOrder: of((r) => r.processMsPerOrder)!,
        treeMsPerOrder: of((r) => r.treeMsPerOrder),
        ordersPerSecond: of((r) => r.ordersPerSecond)!,
        cpuMsPerOrder: 0,
        counts: {},
      });
    };
    console.log(
      `\nCPU per order, POST to parked at the warehouse step, ${orders} orders per round, ` +
        `${concurrency} in flight, median of ${rounds} rounds ("process": route code + local ` +
        'cloud in this process; "with containers": plus the Lambda containers running the ' +
        'handlers):',
    );
    console.log(`  parse caches off: ${summary('off')}`);
    console.log(`  parse caches on:  ${summary('on')}`);
    if (process.env.BENCH_RESULTS_FILE) {
      const medians = (side: 'off' | 'on') => ({
        processMsPerOrder: median(results[side].map((r) => r.processMsPerOrder)),
        treeMsPerOrder: results[side].every((r) => r.treeMsPerOrder !== undefined)
          ? median(results[side].map((r) => r.treeMsPerOrder!))
          : undefined,
        ordersPerSecond: median(results[side].map((r) => r.ordersPerSecond)),
      });
      writeFileSync(
        process.env.BENCH_RESULTS_FILE,
        JSON.stringify({ off: medians('off'), on: medians('on') }, null, 2),
      );
    }
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
