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
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bootstrapLocalCloud } from '../../local-cloud/bootstrap';
import type { CognitoService } from '../../local-cloud/cognito';
import { startLocalCloud } from '../../local-cloud/core/start';
import type { ServiceContext } from '../../local-cloud/core/service';
import { readAssembly } from '../../local-cloud/backend';
import type { LambdaHandler } from '../../local-cloud/functions/runner';
import { offlineBackendServices } from '../../local-cloud/offline-backend';
import {
  StepFunctionsService,
  type ExecutionEventMessage,
} from '../../local-cloud/stepfunctions/service';
import { PRODUCTS } from '../../lib/catalog/products';
import { ensureAssembly } from '../../scripts/assembly-cache';
import { benchShopper, type FromCloud, type ToCloud } from './cloud-messages';

const shoppers = Number(process.env.BENCH_SHOPPERS ?? 5);
const stockPerProduct = Number(process.env.BENCH_STOCK ?? 1_000_000);

const send = (message: FromCloud) => process.send?.(message);

const assemblyDir = ensureAssembly(path.resolve('.local-cloud-cache'));
const noop: LambdaHandler = async () => ({});
const noopWorkflows = (ctx: ServiceContext) =>
  new StepFunctionsService(ctx, {
    stateMachines: readAssembly(assemblyDir, {
      baseUrl: ctx.baseUrl,
      region: ctx.region,
    }).stateMachines.map((machine) => ({
      name: machine.name,
      definitionPath: path.resolve('amplify/workflow/order-workflow.asl.json'),
      substitutions: machine.substitutions,
      resolveHandler: () => noop,
    })),
  });
const cloud = await startLocalCloud({
  port: 0,
  dataDir: ':memory:',
  logLevel: 'warn',
  services: offlineBackendServices({ assemblyDir }).map((factory) => async (ctx) => {
    const service = await factory(ctx);
    if (process.env.BENCH_WORKFLOW !== 'noop' || service.name !== 'stepfunctions') return service;
    await service.close();
    return noopWorkflows(ctx);
  }),
});
const dir = mkdtempSync(path.join(tmpdir(), 'orders-bench-'));
const outputsPath = path.join(dir, 'amplify_outputs.json');
await bootstrapLocalCloud(cloud, {
  assemblyDir,
  outputsPath,
  stock: Object.fromEntries(PRODUCTS.map((product) => [product.slug, stockPerProduct])),
});
const cognito = cloud.services.find((s) => s.name === 'cognito') as CognitoService;
for (let i = 0; i < shoppers; i += 1) await cognito.seedUser({ ...benchShopper(i), groups: [] });

const sfn = cloud.services.find((s) => s.name === 'stepfunctions') as StepFunctionsService;
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

process.on('message', (message: ToCloud) => {
  if (message.kind === 'watch') watching = message.on;
});

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  await cloud.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('disconnect', () => void close());
process.on('SIGTERM', () => void close());

send({ kind: 'ready', url: cloud.url, outputsPath });
