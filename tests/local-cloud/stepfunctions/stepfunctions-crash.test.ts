import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, expect, test } from 'vitest';
import { freePort, startCloudProcess } from '../cloud-process';
import { FIXTURES, history, machineArn, sfnClient, waitFor } from '../helpers';

const work = mkdtempSync(path.join(tmpdir(), 'sfn-crash-'));
const files = {
  tokens: path.join(work, 'tokens.jsonl'),
  attempts: path.join(work, 'attempts.log'),
  done: path.join(work, 'done.log'),
};
const children: ChildProcess[] = [];

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

/** The local cloud as a real process, so SIGKILL hits the server itself. */
const startProcess = (port: number) =>
  startCloudProcess({
    entry: path.join(FIXTURES, 'fixture-cloud.ts'),
    port,
    dataDir: path.join(work, 'data'),
    children,
  });

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

test(
  'SIGKILL with 50 executions parked on tokens and 50 mid-retry: all finish exactly once',
  { timeout: 90_000 },
  async () => {
    const port = await freePort();
    const first = await startProcess(port);
    const client = sfnClient(`http://127.0.0.1:${port}`);
    const names = Array.from({ length: 100 }, (_, i) => (i < 50 ? `token-${i}` : `retry-${i}`));
    await Promise.all(
      names.map((name) =>
        client.send(
          new StartExecutionCommand({
            stateMachineArn: machineArn('Crash'),
            name,
            input: JSON.stringify({ mode: name.startsWith('token') ? 'token' : 'retry', ...files }),
          }),
        ),
      ),
    );
    // Every callback handler has handed out its token, every flaky task failed once and is waiting.
    await waitFor(() =>
      lines(files.tokens).length === 50 && lines(files.attempts).length === 50 ? true : undefined,
    );
    // The kill hits all 100 mid-flight: none has reached RecordDone, every one is RUNNING.
    expect(lines(files.done)).toEqual([]);
    const beforeKill = await client.send(
      new ListExecutionsCommand({
        stateMachineArn: machineArn('Crash'),
        statusFilter: 'RUNNING',
        maxResults: 1000,
      }),
    );
    expect(beforeKill.executions!.map((e) => e.name).sort()).toEqual([...names].sort());

    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;

    await startProcess(port);
    const tokens = lines(files.tokens).map((l) => JSON.parse(l) as { name: string; token: string });
    await Promise.all(
      tokens.map(({ name, token }) => {
        const index = Number(name.split('-')[1]);
        return index % 2 === 0
          ? client.send(
              new SendTaskSuccessCommand({
                taskToken: token,
                output: JSON.stringify({ ok: name }),
              }),
            )
          : client.send(
              new SendTaskFailureCommand({
                taskToken: token,
                error: 'WarehouseRejected',
                cause: 'no',
              }),
            );
      }),
    );
    await waitFor(
      async () => {
        const running = await client.send(
          new ListExecutionsCommand({
            stateMachineArn: machineArn('Crash'),
            statusFilter: 'RUNNING',
          }),
        );
        return running.executions!.length === 0 ? true : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 200 },
    );

    // The callback handlers were not invoked again: the tokens from before the crash stayed valid.
    expect(lines(files.tokens)).toHaveLength(50);
    const done = lines(files.done).sort();
    const expected = names
      .map((name) =>
        name.startsWith('token') && Number(name.split('-')[1]) % 2 === 1
          ? `rejected ${name}`
          : `done ${name}`,
      )
      .sort();
    expect(done).toEqual(expected);

    for (const name of names) {
      const executionArn = `arn:aws:states:us-east-1:000000000000:execution:Crash:${name}`;
      const e = await client.send(new DescribeExecutionCommand({ executionArn }));
      const rejected = name.startsWith('token') && Number(name.split('-')[1]) % 2 === 1;
      expect(e.status, name).toBe(rejected ? 'FAILED' : 'SUCCEEDED');
      const events = await history(client, executionArn);
      const terminal = events.filter((ev) =>
        /^Execution(Succeeded|Failed|Aborted|TimedOut)$/.test(ev.type!),
      );
      expect(terminal, name).toHaveLength(1);
      expect(events.map((ev) => ev.id)).toEqual(events.map((_, i) => i + 1));
    }
    // Retried tasks resumed with their retry count: attempts 0, 1, 2 for each (0 before the crash).
    const attempts = lines(files.attempts);
    for (const name of names.slice(50)) {
      const seen = new Set(
        attempts.filter((l) => l.startsWith(`attempt ${name} `)).map((l) => l.split(' ')[2]),
      );
      expect([...seen].sort(), name).toEqual(['0', '1', '2']);
    }
  },
);
