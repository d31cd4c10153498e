import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './helpers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A local cloud as a real process (`node --import tsx <entry>`), so a crash test's SIGKILL hits
 * the server itself, on `port` with its data in `dataDir`. Resolves once it reports healthy;
 * the caller kills it (every child it started: see `children`).
 */
export async function startCloudProcess(options: {
  entry: string;
  port: number;
  dataDir: string;
  children: ChildProcess[];
  env?: Record<string, string>;
}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry], {
    cwd: root,
    env: {
      ...process.env,
      LOCAL_CLOUD_PORT: String(options.port),
      LOCAL_CLOUD_DATA_DIR: options.dataDir,
      LOCAL_CLOUD_LOG: 'warn',
      AWS_REGION: 'us-east-1',
      ...options.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  options.children.push(child);
  await waitFor(
    async () => {
      const res = await fetch(`http://127.0.0.1:${options.port}/_local/health`).catch(
        () => undefined,
      );
      return res?.ok ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  return child;
}
