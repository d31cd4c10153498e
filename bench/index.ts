/**
 * `npm run bench`: the Step Functions stand-in's figures (bench/stepfunctions.ts), then the
 * order API's (bench/orders.ts), each in its own process so neither's heap or timers skew the
 * other; their output streams through, then one summary table with each target.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { OrdersBenchResults } from './orders';
import type { SubmitLatencyResult } from './phases/submit-latency';

interface Row {
  figure: string;
  measured: string;
  target: string;
  met: boolean | undefined;
}

function run(
  script: string,
  env: Record<string, string> = {},
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    console.log(`\n$ tsx ${script}`);
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      process.stdout.write(chunk);
    });
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

const number = (text: string, pattern: RegExp) => {
  const match = pattern.exec(text);
  return match ? Number(match[1]) : undefined;
};

/** bench/stepfunctions.ts only prints, so its figures are read back from its lines. */
function stepFunctionsRows(out: string): Row[] {
  const inProcess = number(out, /throughput, in-process: (\d+) executions\/s/);
  const gateway = number(out, /via gateway \+ client-sfn[^:]*: (\d+) executions\/s/);
  const readable = number(out, /GetExecutionHistory .*p99 ([\d.]+) ms/);
  const rss = number(out, /parked on task tokens: RSS (\d+) MB/);
  const show = (value: number | undefined, unit: string) =>
    value === undefined ? 'not printed' : `${value} ${unit}`;
  return [
    {
      figure: 'SFN executions/s, in-process',
      measured: show(inProcess, '/s'),
      target: '>= 500/s',
      met: inProcess === undefined ? undefined : inProcess >= 500,
    },
    {
      figure: 'SFN executions/s, via gateway + client-sfn',
      measured: show(gateway, '/s'),
      target: '(context)',
      met: undefined,
    },
    {
      figure: 'SFN StateEntered -> readable, p99',
      measured: show(readable, 'ms'),
      target: '<= 20 ms',
      met: readable === undefined ? undefined : readable <= 20,
    },
    {
      figure: 'SFN RSS, 2,000 parked executions',
      measured: show(rss, 'MB'),
      target: '<= 300 MB',
      met: rss === undefined ? undefined : rss <= 300,
    },
  ];
}

function submitRow(label: string, submit: SubmitLatencyResult): Row {
  const errors = submit.sent - submit.accepted;
  const { p50, p99, max } = submit.latency;
  return {
    figure: `${label} p50 / p99 / max (${submit.rate}/s, ${submit.seconds} s)`,
    measured: `${p50.toFixed(1)} / ${p99.toFixed(1)} / ${max.toFixed(1)} ms, ${errors} errors`,
    target: 'p99 < 100 ms',
    met: p99 < 100 && errors === 0,
  };
}

function orderRows({ submit, submitAlone, step, polling }: OrdersBenchResults): Row[] {
  const rows: Row[] = [];
  if (submit) rows.push(submitRow('Submit 202, workflows running,', submit));
  if (submitAlone) rows.push(submitRow('Submit 202, no-op workflow,', submitAlone));
  if (step) {
    rows.push({
      figure: 'Step -> client p50 / p95 (update timestamp)',
      measured: `${step.fromUpdate.p50.toFixed(1)} / ${step.fromUpdate.p95.toFixed(1)} ms (${step.fromUpdate.count} updates, ${step.missed} missed)`,
      target: 'p95 < 100 ms',
      met: step.fromUpdate.p95 < 100 && step.missed === 0,
    });
    rows.push({
      figure: 'Step -> client p50 / p95 (TaskStateEntered)',
      measured: `${step.fromStateEntered.p50.toFixed(1)} / ${step.fromStateEntered.p95.toFixed(1)} ms (${step.fromStateEntered.count} steps)`,
      target: 'p95 < 100 ms',
      met: step.fromStateEntered.p95 < 100,
    });
  }
  if (polling) {
    const { honouring, fixed } = polling;
    rows.push({
      figure: 'Polls/order, honours nextPollAt vs every 1 s',
      measured: `${honouring.requestsPerOrder.toFixed(1)} vs ${fixed.requestsPerOrder.toFixed(1)} = ${(polling.ratio * 100).toFixed(0)} % (429s: ${honouring.throttled} vs ${fixed.throttled})`,
      target: '<= 25 %',
      met: polling.ratio <= 0.25 && honouring.throttled === 0,
    });
  }
  return rows;
}

function printTable(rows: Row[]) {
  const header: Row = { figure: 'Figure', measured: 'Measured', target: 'Target', met: undefined };
  const mark = (row: Row) =>
    row === header ? 'Met' : row.met === undefined ? '-' : row.met ? 'yes' : 'NO';
  const width = (key: 'figure' | 'measured' | 'target') =>
    Math.max(...[header, ...rows].map((row) => row[key].length));
  const [a, b, c] = [width('figure'), width('measured'), width('target')];
  const line = (row: Row) =>
    `| ${row.figure.padEnd(a)} | ${row.measured.padEnd(b)} | ${row.target.padEnd(c)} | ${mark(row).padEnd(3)} |`;
  console.log(line(header));
  console.log(`|${'-'.repeat(a + 2)}|${'-'.repeat(b + 2)}|${'-'.repeat(c + 2)}|-----|`);
  for (const row of rows) console.log(line(row));
}

const began = performance.now();
const dir = mkdtempSync(path.join(tmpdir(), 'bench-'));
const resultsFile = path.join(dir, 'orders.json');
const rows: Row[] = [];
const failures: string[] = [];

const sfn = await run('bench/stepfunctions.ts');
if (sfn.code !== 0) failures.push(`bench/stepfunctions.ts exited with ${sfn.code}`);
rows.push(...stepFunctionsRows(sfn.out));

const orders = await run('bench/orders.ts', { BENCH_RESULTS_FILE: resultsFile });
if (orders.code !== 0) failures.push(`bench/orders.ts exited with ${orders.code}`);
try {
  rows.push(...orderRows(JSON.parse(readFileSync(resultsFile, 'utf8'))));
} catch {
  failures.push('bench/orders.ts wrote no results');
}
rmSync(dir, { recursive: true, force: true });

console.log(
  `\nSummary (${((performance.now() - began) / 1000).toFixed(0)} s, load average now ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}, 2 cores shared)`,
);
printTable(rows);
for (const failure of failures) console.log(`! ${failure}`);
process.exitCode = failures.length > 0 ? 1 : 0;
