/**
 * Figures for the Lambda runtime (local-cloud/lambda/runtime), printed, not asserted:
 *  1. cold start: the first invocation of a fresh container, end to end (thread or process
 *     start, tsx, the handler's imports, the invocation), median of a few; also for a handler
 *     that imports nothing, to show the container's own share;
 *  2. warm invocation round trip p50 / p95, one container, invocations in sequence;
 *  3. memory per container: process RSS growth per worker, or each child's own RSS;
 *  4. the host's event-loop delay while a handler spins until its timeout (in-process, the
 *     loop would be blocked for the whole timeout).
 * The function is the real status publisher (amplify/functions/status-publisher): it loads the
 * AWS SDK and SigV4-signs a POST, here to a stub AppSync endpoint on loopback that echoes.
 * Both isolations are measured; `npx tsx bench/lambda-runtime.ts [worker|process]` for one.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LambdaRuntime, type FunctionConfig, type Isolation } from '../local-cloud/lambda/runtime';
import { ms, summarize } from './support/stats';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PUBLISHER = path.join(ROOT, 'amplify/functions/status-publisher/handler.ts');
const FIXTURES = path.join(ROOT, 'tests/local-cloud/fixtures/runtime-functions');
const SPINNER = path.join(FIXTURES, 'infinite-loop/handler.ts');
const COUNTER = path.join(FIXTURES, 'counter/handler.ts');
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const update = {
  orderId: 'bench-order',
  seq: 1,
  step: 'ChargePayment',
  status: 'SUCCEEDED',
  attempt: 0,
  message: 'Charged $10.00 to card ending 4242.',
  orderStatus: 'PROCESSING',
  nextPollAt: null,
  timestamp: new Date(0).toISOString(),
};

export interface LambdaRuntimeBenchResult {
  coldStartMs: number;
  warmP50Ms: number;
  warmP95Ms: number;
}

/** A stand-in for AppSync that answers publishOrderUpdate with its own variables. */
async function stubAppSync(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        variables: unknown;
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { publishOrderUpdate: variables } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, server };
}

function publisher(url: string): FunctionConfig {
  return {
    name: 'status-publisher',
    codePath: PUBLISHER,
    environment: {
      APPSYNC_GRAPHQL_URL: url,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    },
    timeoutSeconds: 10,
  };
}

function newRuntime(isolation: Isolation, functions: FunctionConfig[]) {
  return new LambdaRuntime({
    region: REGION,
    accountId: ACCOUNT,
    functions,
    log: quiet,
    isolation,
  });
}

async function timed(runtime: LambdaRuntime, reference: string, payload: unknown) {
  const started = performance.now();
  const result = await runtime.invoke(reference, payload);
  const elapsed = performance.now() - started;
  if (!result.ok) {
    throw new Error(`${reference} failed: ${result.error.errorType}: ${result.error.errorMessage}`);
  }
  return { elapsed, coldStart: result.coldStart };
}

/** Cold start and warm latency of the status publisher (child processes, the default). */
export async function benchLambdaRuntime(
  isolation: Isolation = 'process',
): Promise<LambdaRuntimeBenchResult> {
  const { url, server } = await stubAppSync();
  try {
    const colds: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      const runtime = newRuntime(isolation, [publisher(url)]);
      colds.push((await timed(runtime, 'status-publisher', update)).elapsed);
      await runtime.close();
    }
    const runtime = newRuntime(isolation, [publisher(url)]);
    await timed(runtime, 'status-publisher', update);
    const warm: number[] = [];
    for (let round = 0; round < 300; round += 1) {
      warm.push((await timed(runtime, 'status-publisher', update)).elapsed);
    }
    await runtime.close();
    const sortedColds = [...colds].sort((a, b) => a - b);
    const { p50, p95 } = summarize(warm);
    return { coldStartMs: sortedColds[2]!, warmP50Ms: p50, warmP95Ms: p95 };
  } finally {
    server.close();
  }
}

/** Median cold start of a handler with no imports of its own. */
async function bareColdStart(isolation: Isolation): Promise<number> {
  const colds: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    const runtime = newRuntime(isolation, [
      { name: 'counter', codePath: COUNTER, environment: {}, timeoutSeconds: 10 },
    ]);
    colds.push((await timed(runtime, 'counter', {})).elapsed);
    await runtime.close();
  }
  return colds.sort((a, b) => a - b)[2]!;
}

/** RSS (MB) of this process's child processes, from /proc (Linux). */
function childrenRssMb(): number {
  let kb = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      kb += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // The process ended while being read.
    }
  }
  return kb / 1024;
}

/** Memory per container with `count` warm status-publisher containers. */
async function memoryPerContainer(isolation: Isolation, count = 4): Promise<number> {
  const { url, server } = await stubAppSync();
  const slowPublisher = { ...publisher(url), name: 'publisher-pool' };
  const runtime = newRuntime(isolation, [slowPublisher]);
  try {
    global.gc?.();
    const before = process.memoryUsage().rss / 2 ** 20;
    // Concurrent first invocations: one container each.
    await Promise.all(
      Array.from({ length: count }, () => timed(runtime, 'publisher-pool', update)),
    );
    const containers = runtime.stats().containers;
    const grown =
      isolation === 'worker' ? process.memoryUsage().rss / 2 ** 20 - before : childrenRssMb();
    return grown / containers;
  } finally {
    await runtime.close();
    server.close();
  }
}

/** The host's worst event-loop delay while a container spins until its 1 s timeout. */
async function hostDelayWhileSpinning(isolation: Isolation): Promise<number> {
  const runtime = newRuntime(isolation, [
    { name: 'spinner', codePath: SPINNER, environment: {}, timeoutSeconds: 1 },
  ]);
  try {
    await timed(runtime, 'spinner', { spin: false });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    await runtime.invoke('spinner', { spin: true });
    delay.disable();
    return delay.max / 1e6;
  } finally {
    await runtime.close();
  }
}

async function main() {
  const chosen = process.argv[2] as Isolation | undefined;
  const isolations: Isolation[] = chosen ? [chosen] : ['worker', 'process'];
  console.log(
    `Lambda runtime, status-publisher handler, Node ${process.versions.node}, load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  const figures: Record<string, Record<string, number>> = {};
  for (const isolation of isolations) {
    const { coldStartMs, warmP50Ms, warmP95Ms } = await benchLambdaRuntime(isolation);
    const bare = await bareColdStart(isolation);
    const perContainer = await memoryPerContainer(isolation);
    const hostDelay = await hostDelayWhileSpinning(isolation);
    figures[isolation] = {
      coldStartMs,
      warmP50Ms,
      warmP95Ms,
      rssMb: perContainer,
      hostDelayMs: hostDelay,
    };
    console.log(
      `${isolation.padEnd(7)}: cold start ${ms(coldStartMs)} (median of 5; ${ms(bare)} for a ` +
        `handler importing nothing), ` +
        `warm p50 ${ms(warmP50Ms)}, p95 ${ms(warmP95Ms)} (300 in sequence), ` +
        `memory ${perContainer.toFixed(0)} MB RSS per container, ` +
        `host event-loop delay max ${ms(hostDelay)} while a handler spins 1 s`,
    );
  }
  // bench/index.ts reads the figures back from here.
  if (process.env.BENCH_RESULTS_FILE) {
    writeFileSync(process.env.BENCH_RESULTS_FILE, JSON.stringify(figures, null, 2));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
