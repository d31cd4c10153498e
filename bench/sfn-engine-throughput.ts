/**
 * Executions/s in process of one copy of the local cloud, for comparing interpreters side by side:
 * `tsx bench/sfn-engine-throughput.ts [<local-cloud dir>]` (default: this checkout's). The bench
 * runs it for the current interpreter and for an older commit's (extracted by
 * bench/support/baseline.ts), alternating, since figures from different runs do not compare on
 * these machines. Prints `engine throughput: <n> executions/s` and `engine cpu: <n> µs per execution`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { orderWorkflowDefinitionPath, orderWorkflowInput } from './support/order-workflow';

type LocalCloudModule = typeof import('../local-cloud');

const REGION = 'us-east-1';
const dir = path.resolve(process.argv[2] ?? 'local-cloud');
const lc = (await import(pathToFileURL(path.join(dir, 'index.ts')).href)) as LocalCloudModule;
const definitionPath = orderWorkflowDefinitionPath();

const dataDir = mkdtempSync(path.join(tmpdir(), 'sfn-engine-'));
type Service = Awaited<
  ReturnType<LocalCloudModule['startLocalCloud']>
>['services']['stepfunctions'];
/** Set once the cloud runs; the handlers below only run after that. */
const late: { service?: Service } = {};
const backend = lc.workflowsBackend({
  workflowsDir: path.dirname(definitionPath),
  functionsDir: dataDir,
  region: REGION,
});
backend.stateMachines = backend.stateMachines.filter((m) => m.name === 'OrderWorkflow');
// Every task is a no-op in this process that completes callbacks at once: the engine's own cost.
for (const fn of backend.functions) {
  fn.code = {
    inline: async (event) => {
      const token = (event as { taskToken?: string } | null)?.taskToken;
      if (token) setImmediate(() => late.service!.tokens.succeed(token, '{"accepted":true}'));
      return {};
    },
  };
}
const cloud = await lc.startLocalCloud({
  port: 0,
  dataDir,
  clock: lc.createClock(Number.POSITIVE_INFINITY),
  region: REGION,
  logLevel: 'warn',
  backend: lc.staticBackend(backend),
});
const service = cloud.services.stepfunctions;
late.service = service;
const machine = `arn:aws:states:${REGION}:000000000000:stateMachine:OrderWorkflow`;
let finished = 0;
let succeeded = 0;
service.events.on('execution-event', (m: { event: { type: string } }) => {
  if (/^Execution(Succeeded|Failed|Aborted|TimedOut)$/.test(m.event.type)) finished += 1;
  if (m.event.type === 'ExecutionSucceeded') succeeded += 1;
});
const untilFinished = async (target: number) => {
  while (finished < target) await new Promise((resolve) => setImmediate(resolve));
};

/** Starts `count` executions, at most 200 in flight, and waits for all of them. */
async function runBatch(
  prefix: string,
  count: number,
): Promise<{ seconds: number; cpuMs: number }> {
  finished = 0;
  succeeded = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i += 1) {
    service.startExecution(machine, orderWorkflowInput(i), `${prefix}-${i}`);
    if (i - finished > 200) await untilFinished(i - 200);
  }
  await untilFinished(count);
  if (succeeded !== count) console.log(`WARNING: only ${succeeded} of ${count} succeeded`);
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuMs: (used.user + used.system) / 1000 };
}

await runBatch('warm', 500);
const total = 4000;
const { seconds, cpuMs } = await runBatch('measured', total);
console.log(`engine throughput: ${(total / seconds).toFixed(0)} executions/s`);
// CPU time moves less than wall time when other work shares the two cores.
console.log(`engine cpu: ${((cpuMs * 1000) / total).toFixed(0)} µs per execution`);
await cloud.close();
rmSync(dataDir, { recursive: true, force: true });
