/**
 * The offline backend as a child of the order benchmark (started with `fork`), so the cloud's
 * work does not share an event loop with the load generator or the measuring client.
 * In memory, on a free loopback port, with stock for every order the benchmark places and a
 * few extra shoppers. Talks to its parent over the IPC channel:
 *   → parent  { kind: 'ready', url, outputsPath }
 *   → parent  { kind: 'state-entered', orderId, state, at }   while watching (epoch ms)
 *   ← parent  { kind: 'watch', on: boolean }
 * Exits when the parent disconnects.
 * BENCH_WORKFLOW=noop runs the same state machine with handlers that do nothing (the warehouse
 * step parks on its token), to measure the submit path without the workflows' own load.
 * BENCH_WORKFLOW=inline runs the real handlers the way the local cloud ran them before it had
 * a Lambda runtime: imported into this process, sharing its event loop and its `process.env`.
 * It exists only here, so the bench can put the old design's figures beside the new ones.
 * BENCH_INTAKE_MODE=queue|direct writes outputs with that `custom.orderIntakeMode` (what a
 * backend synthesized with ORDER_INTAKE_MODE has), and BENCH_MAX_CONCURRENCY overrides the
 * intake event source mapping's MaximumConcurrency, for the burst benchmark.
 *   ← parent  { kind: 'intake-consumer', on }   stop / restart the event source mappings, as
 *             an operator disables and enables a mapping; acknowledged with the same message
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  amplifyBackend,
  createClock,
  LOCAL_CREDENTIALS,
  startLocalCloud,
  type BackendSource,
} from '../../local-cloud';
import { createLogger } from '../../local-cloud/core/logger';
import {
  startEventSourceMappings,
  type EventSourceMappings,
} from '../../local-cloud/lambda/event-sources';
import type { LambdaHandler } from '../../local-cloud/lambda/types';
import type { ExecutionEventMessage } from '../../local-cloud/stepfunctions/service';
import { PRODUCTS } from '../../lib/catalog/products';
import { ensureAssembly } from '../../scripts/assembly-cache';
import { DEMO_ACCOUNTS, seedDemo, seedTargetOf } from '../../scripts/demo-seed';
import { benchShopper, type FromCloud, type ToCloud } from './cloud-messages';

const shoppers = Number(process.env.BENCH_SHOPPERS ?? 5);
const stockPerProduct = Number(process.env.BENCH_STOCK ?? 1_000_000);

const send = (message: FromCloud) => process.send?.(message);

const assemblyDir = ensureAssembly(path.resolve('.local-cloud-cache'));
const amplify = amplifyBackend({ assemblyDir });
/** The same backend with every function's code replaced by one that does nothing. */
const noopBackend: BackendSource = {
  ...amplify,
  load(at) {
    const backend = amplify.load(at);
    for (const fn of backend.functions) fn.code = { inline: async () => ({}) };
    return backend;
  },
};
/** The same backend with every handler imported into this process (the design before containers). */
const inlineBackend: BackendSource = {
  ...amplify,
  load(at) {
    const backend = amplify.load(at);
    for (const fn of backend.functions) {
      const code = fn.code;
      if (!code || !('path' in code)) continue;
      Object.assign(process.env, fn.environment, {
        AWS_REGION: at.region,
        AWS_ENDPOINT_URL: at.baseUrl,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      });
      const loading = import(pathToFileURL(code.path).href) as Promise<{ handler: LambdaHandler }>;
      fn.code = { inline: async (event, context) => (await loading).handler(event, context) };
    }
    return backend;
  },
};
const backends: Record<string, BackendSource> = {
  noop: noopBackend,
  inline: inlineBackend,
  real: amplify,
};
const chosen = backends[process.env.BENCH_WORKFLOW ?? 'real'] ?? amplify;
const maximumConcurrency = Number(process.env.BENCH_MAX_CONCURRENCY) || undefined;
const backend: BackendSource = {
  ...chosen,
  load(at) {
    const loaded = chosen.load(at);
    for (const mapping of loaded.eventSourceMappings ?? []) {
      if (maximumConcurrency) mapping.maximumConcurrency = maximumConcurrency;
    }
    return loaded;
  },
};
const cloud = await startLocalCloud({
  port: 0,
  dataDir: ':memory:',
  logLevel: 'warn',
  backend,
});
const dir = mkdtempSync(path.join(tmpdir(), 'orders-bench-'));
const outputsPath = path.join(dir, 'amplify_outputs.json');
const outputs = cloud.outputs!;
const intakeMode = process.env.BENCH_INTAKE_MODE;
writeFileSync(
  outputsPath,
  JSON.stringify(
    intakeMode
      ? { ...outputs, custom: { ...outputs.custom, orderIntakeMode: intakeMode } }
      : outputs,
  ),
);
await seedDemo(seedTargetOf(cloud), {
  stock: Object.fromEntries(PRODUCTS.map((product) => [product.slug, stockPerProduct])),
  accounts: [
    ...Object.values(DEMO_ACCOUNTS),
    ...Array.from({ length: shoppers }, (_, i) => benchShopper(i)),
  ],
});

const sfn = cloud.services.stepfunctions;
let watching = false;
sfn.events.on('execution-event', (m: ExecutionEventMessage) => {
  if (!watching || m.event.type !== 'TaskStateEntered') return;
  const details = (m.event as { stateEnteredEventDetails?: { name?: string } })
    .stateEnteredEventDetails;
  send({
    kind: 'state-entered',
    orderId: m.executionName,
    state: details?.name ?? '?',
    at: m.event.timestamp,
  });
});

/** The consumer the bench restarted, once it has stopped the local cloud's own. */
let consumer: EventSourceMappings = cloud.eventSources;
let consumerOn = true;
async function setConsumer(on: boolean) {
  if (on !== consumerOn) {
    consumerOn = on;
    if (on) {
      const queues = cloud.backend.queues ?? [];
      consumer = startEventSourceMappings({
        ctx: {
          clock: createClock(),
          log: createLogger('event-sources', 'warn'),
          region: cloud.region,
        },
        lambda: cloud.services.lambda,
        mappings: cloud.backend.eventSourceMappings ?? [],
        sqs: new SQSClient({
          endpoint: cloud.url,
          region: cloud.region,
          credentials: LOCAL_CREDENTIALS,
        }),
        queueUrlOf: (arn) => queues.find((queue) => queue.arn === arn)?.url,
      });
    } else await consumer.close();
  }
  send({ kind: 'intake-consumer', on });
}

process.on('message', (message: ToCloud) => {
  if (message.kind === 'watch') watching = message.on;
  if (message.kind === 'intake-consumer') void setConsumer(message.on);
});

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  await consumer.close().catch(() => {});
  await cloud.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('disconnect', () => void close());
process.on('SIGTERM', () => void close());

send({ kind: 'ready', url: cloud.url, outputsPath });
