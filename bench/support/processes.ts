import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { LOCAL_CREDENTIALS } from '../../local-cloud';
import type { FromCloud } from './cloud-messages';

export interface CloudChild {
  process: ChildProcess;
  url: string;
  outputsPath: string;
}

/** Forks the local cloud (see local-cloud-child.ts) and waits for it to be seeded. */
export interface IntakeOptions {
  /** `custom.orderIntakeMode` of the outputs (default: the backend's, queue). */
  intakeMode?: 'queue' | 'direct';
  /** The intake event source mapping's MaximumConcurrency (default: the template's). */
  maximumConcurrency?: number;
}

export function startCloudChild(
  shoppers: number,
  workflow: 'real' | 'noop' | 'inline' = 'real',
  intake: IntakeOptions = {},
): Promise<CloudChild> {
  const child = fork(path.resolve('bench/support/local-cloud-child.ts'), [], {
    execArgv: [
      '--import',
      'tsx',
      // Diagnosis: BENCH_PROFILE_CLOUD=<dir> writes a V8 CPU profile of the cloud when it exits.
      ...(process.env.BENCH_PROFILE_CLOUD
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_CLOUD}`]
        : []),
    ],
    env: {
      ...process.env,
      BENCH_SHOPPERS: String(shoppers),
      BENCH_WORKFLOW: workflow,
      ...(intake.intakeMode ? { BENCH_INTAKE_MODE: intake.intakeMode } : {}),
      ...(intake.maximumConcurrency
        ? { BENCH_MAX_CONCURRENCY: String(intake.maximumConcurrency) }
        : {}),
      NODE_NO_WARNINGS: '1',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the local cloud exited during startup (code ${code})`));
    child.once('exit', onExit);
    child.on('message', (message: FromCloud) => {
      if (message.kind !== 'ready') return;
      child.off('exit', onExit);
      resolve({ process: child, url: message.url, outputsPath: message.outputsPath });
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * `next start` on a free loopback port against the local cloud, as playwright.config.ts starts
 * it, but with this run's outputs file and polling at real time (ORDER_POLL_TIME_SCALE=1).
 */
export async function startNextServer(cloud: CloudChild): Promise<{
  process: ChildProcess;
  url: string;
}> {
  await untilBuilt();
  const port = await freePort();
  // Diagnosis: BENCH_PROFILE_NEXT=<dir> writes a V8 CPU profile of the server when it exits.
  const profile = process.env.BENCH_PROFILE_NEXT;
  const child = spawn(
    process.execPath,
    [
      ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
      path.resolve('node_modules/next/dist/bin/next'),
      ...['start', '-H', '127.0.0.1', '-p', String(port)],
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        AMPLIFY_OUTPUTS: cloud.outputsPath,
        AWS_ENDPOINT_URL: cloud.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        ORDER_POLL_TIME_SCALE: '1',
        ORDER_SUBMIT_LIMIT: 'off', // a few accounts stand for many shoppers: see lib/orders/rate-limit.ts
        NODE_NO_WARNINGS: '1',
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (code ${child.exitCode})`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { process: child, url };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('next start did not answer /api/health within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * `next build` holds `.next/lock` while it rewrites `.next/`; a server started meanwhile finds
 * manifests missing. Other sessions build in this same tree, so wait out a running build.
 */
async function untilBuilt(timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  let said = false;
  while (existsSync('.next/lock') || !existsSync('.next/BUILD_ID')) {
    if (!existsSync('.next/lock'))
      throw new Error(
        'No production build in .next/: run `NEXT_PUBLIC_LOCAL_CLOUD=1 npx next build` first',
      );
    if (Date.now() > deadline) throw new Error('next build still running after 3 minutes');
    if (!said) console.log('  (waiting for a `next build` in progress to finish)');
    said = true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Stops a child we started and waits for it, escalating if it ignores SIGTERM. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.connected) child.disconnect();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
