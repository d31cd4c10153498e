/**
 * `npm run bench`: figures for the Step Functions stand-in (prints, asserts nothing).
 *  1. executions/s of the order workflow with no-op handlers, waits scaled to zero, SQLite on disk
 *     (in-process StartExecution, and through the gateway with @aws-sdk/client-sfn);
 *  2. p99 from a StateEntered event to it being readable through GetExecutionHistory;
 *  3. RSS with 2,000 executions parked on task tokens.
 * Uses amplify/workflow/order-workflow.asl.json when present, else the test fixture of that shape.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { createClock, staticBackend, startLocalCloud, workflowsBackend } from '../local-cloud';
import type { LambdaHandler } from '../local-cloud/lambda/types';
import { stateMachineArn } from '../local-cloud/stepfunctions/definitions/machines';
import type { ExecutionEventMessage } from '../local-cloud/stepfunctions/service';
import { Worker } from 'node:worker_threads';
import { orderWorkflowDefinitionPath, orderWorkflowInput } from './support/order-workflow';

const REGION = 'us-east-1';
const definitionPath = orderWorkflowDefinitionPath();

let completeTokens = true;
const noop: LambdaHandler = async (event) => {
  const token = (event as { taskToken?: string } | null)?.taskToken;
  if (token && completeTokens) {
    setImmediate(() => {
      try {
        service.tokens.succeed(token, '{"accepted":true}');
      } catch (error) {
        console.error('SendTaskSuccess failed', error);
      }
    });
  }
  return {};
};

const dataDir = mkdtempSync(path.join(tmpdir(), 'sfn-bench-'));
// The order workflow's definition; every task runs the no-op handler in this process, so the
// figures are the engine's own.
const backend = workflowsBackend({
  workflowsDir: path.dirname(definitionPath),
  functionsDir: dataDir,
  region: REGION,
});
backend.stateMachines = backend.stateMachines.filter((m) => m.name === 'OrderWorkflow');
for (const fn of backend.functions) fn.code = { inline: noop };
const cloud = await startLocalCloud({
  port: 0,
  dataDir,
  clock: createClock(Number.POSITIVE_INFINITY),
  region: REGION,
  logLevel: 'warn',
  backend: staticBackend(backend),
});
const service = cloud.services.stepfunctions;
const machine = stateMachineArn(REGION, 'OrderWorkflow');
const terminal = new Set([
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
]);
let finished = 0;
let succeeded = 0;
service.events.on('execution-event', (m: ExecutionEventMessage) => {
  if (terminal.has(m.event.type)) finished += 1;
  if (m.event.type === 'ExecutionSucceeded') succeeded += 1;
});
/** Guards the figures: a benchmark of executions failing at the first state is meaningless. */
function checkAllSucceeded(phase: string): void {
  if (succeeded !== finished)
    console.log(`  WARNING ${phase}: only ${succeeded} of ${finished} executions succeeded`);
  succeeded = 0;
}

async function untilFinished(target: number): Promise<void> {
  while (finished < target) await new Promise((resolve) => setImmediate(resolve));
}

// 1a. In-process, 200 executions in flight.
{
  const total = 5000;
  finished = 0;
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    service.startExecution(machine, orderWorkflowInput(i), `inproc-${i}`);
    if (i - finished > 200) await untilFinished(i - 200);
  }
  await untilFinished(total);
  const seconds = (performance.now() - started) / 1000;
  checkAllSucceeded('in-process');
  console.log(`definition: ${path.relative(process.cwd(), definitionPath)}`);
  console.log(
    `throughput, in-process: ${(total / seconds).toFixed(0)} executions/s (${total} in ${seconds.toFixed(2)} s)`,
  );
}

// 1b. Through the gateway with the official client, driven from a worker thread: in the product
// the caller (the Next.js server) is another process, so the client must not steal the
// gateway's event loop. The worker is plain CommonJS so it needs no TypeScript loader.
const client = new SFNClient({
  endpoint: cloud.url,
  region: REGION,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
{
  const total = 2000;
  finished = 0;
  const started = performance.now();
  const load = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const { SFNClient, StartExecutionCommand } = require('@aws-sdk/client-sfn');
    const client = new SFNClient({
      endpoint: workerData.url,
      region: workerData.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    let next = 0;
    const run = async () => {
      while (next < workerData.total) {
        const i = next++;
        await client.send(new StartExecutionCommand({
          stateMachineArn: workerData.machine, name: 'wire-' + i, input: workerData.inputs[i],
        }));
      }
    };
    Promise.all(Array.from({ length: 16 }, run)).then(() => parentPort.postMessage('sent'));
    `,
    {
      eval: true,
      workerData: {
        url: cloud.url,
        region: REGION,
        machine,
        total,
        inputs: Array.from({ length: total }, (_, i) => orderWorkflowInput(i)),
      },
    },
  );
  await new Promise((resolve, reject) => load.once('message', resolve).once('error', reject));
  await load.terminate();
  await untilFinished(total);
  const seconds = (performance.now() - started) / 1000;
  checkAllSucceeded('gateway');
  console.log(
    `throughput, via gateway + client-sfn (client in a worker thread): ${(total / seconds).toFixed(0)} executions/s (${total} in ${seconds.toFixed(2)} s)`,
  );
}

// 2. StateEntered -> readable, one probe at a time, under a steady ~100 executions/s background.
{
  const latencies: number[] = [];
  let waiting: ((m: ExecutionEventMessage) => void) | undefined;
  const onEvent = (m: ExecutionEventMessage) => {
    if (waiting && m.event.type.endsWith('StateEntered')) {
      const fn = waiting;
      waiting = undefined;
      fn(m);
    }
  };
  service.events.on('execution-event', onEvent);
  let stop = false;
  let n = 0;
  finished = 0;
  const background = (async () => {
    while (!stop) {
      for (let k = 0; k < 2; k += 1)
        service.startExecution(machine, orderWorkflowInput(n), `load-${n++}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  for (let sample = 0; sample < 500; sample += 1) {
    const m = await new Promise<ExecutionEventMessage>((resolve) => (waiting = resolve));
    const t0 = performance.now();
    for (;;) {
      const page = await client.send(
        new GetExecutionHistoryCommand({
          executionArn: m.executionArn,
          reverseOrder: true,
          maxResults: 100,
        }),
      );
      if (page.events?.some((e) => e.id === m.event.id)) break;
    }
    latencies.push(performance.now() - t0);
  }
  stop = true;
  await background;
  service.events.off('execution-event', onEvent);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  console.log(
    `StateEntered -> readable via GetExecutionHistory (${latencies.length} samples, ~${n} executions of background load): p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
  );
  await untilFinished(n);
  checkAllSucceeded('latency');
}

// 3. Memory with 2,000 executions parked on task tokens.
{
  completeTokens = false;
  const total = 2000;
  global.gc?.();
  const before = process.memoryUsage().rss;
  for (let i = 0; i < total; i += 1)
    service.startExecution(machine, orderWorkflowInput(i), `parked-${i}`);
  while (service.tokens.parked < total) await new Promise((resolve) => setTimeout(resolve, 10));
  global.gc?.();
  const rss = process.memoryUsage().rss;
  console.log(
    `memory with ${service.tokens.parked} executions parked on task tokens: RSS ${(rss / 2 ** 20).toFixed(0)} MB (process before parking: ${(before / 2 ** 20).toFixed(0)} MB)`,
  );
}

await cloud.close();
rmSync(dataDir, { recursive: true, force: true });
