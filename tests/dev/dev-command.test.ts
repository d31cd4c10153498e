import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { afterAll, expect, it } from 'vitest';

/**
 * The README's first command, for real: `npm run dev` (scripts/dev.ts) brings up the local
 * cloud and `next dev` against it, and Ctrl-C stops both. Throwaway ports, data and outputs.
 */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function waitFor(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'dev-command-'));
let dev: ChildProcess | undefined;
afterAll(() => {
  dev?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

it('npm run dev serves the storefront against the local cloud and stops on Ctrl-C', async () => {
  const [cloudPort, appPort] = [await freePort(), await freePort()];
  const outputs = path.join(dir, 'amplify_outputs.json');
  let output = '';
  dev = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
    env: {
      ...process.env,
      LOCAL_CLOUD_PORT: String(cloudPort),
      LOCAL_CLOUD_DATA_DIR: path.join(dir, 'data'),
      PORT: String(appPort),
      AMPLIFY_OUTPUTS: outputs,
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout!.on('data', (chunk) => (output += chunk));
  dev.stderr!.on('data', (chunk) => (output += chunk));

  await waitFor(`http://127.0.0.1:${cloudPort}/_local/health`, 60_000);
  // The banner comes once tables, stock, accounts and outputs are in place.
  await expect.poll(() => output, { timeout: 30_000 }).toContain('shopper@example.com');
  expect(JSON.parse(readFileSync(outputs, 'utf8')).custom.userPoolEndpoint).toBe(
    `http://127.0.0.1:${cloudPort}`,
  );

  await waitFor(`http://127.0.0.1:${appPort}/api/health`, 90_000);
  const home = await (await fetch(`http://127.0.0.1:${appPort}/`)).text();
  expect(home).toContain('Harbor Roasters');
  expect(home).toContain('Sold out'); // stock read from the local DynamoDB
  // Opened at 127.0.0.1 the page must hydrate: its dev scripts are served to that origin too
  // (a browser's module script request carries the page's Origin).
  const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(home)?.[1];
  expect(script).toBeDefined();
  const asset = await fetch(`http://127.0.0.1:${appPort}${script}`, {
    headers: { origin: `http://127.0.0.1:${appPort}`, 'sec-fetch-mode': 'cors' },
  });
  expect(asset.status).toBe(200);
  // And in a real browser at that address: the sign-in page hydrates and shows its form (it
  // stayed on "Loading sign-in…" while next dev refused its scripts to 127.0.0.1).
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${appPort}/sign-in`);
    await page.getByLabel('Email').first().waitFor({ timeout: 90_000 });
    expect(await page.getByText('Loading sign-in…').count()).toBe(0);
  } finally {
    await browser.close();
  }
  const config = await (await fetch(`http://127.0.0.1:${appPort}/api/config`)).json();
  expect(config.data.url).toBe(`http://127.0.0.1:${cloudPort}/graphql`);

  const exited = new Promise<number | null>((resolve) => dev!.once('exit', resolve));
  dev.kill('SIGINT');
  expect(await exited).toBe(0);
  await expect(fetch(`http://127.0.0.1:${cloudPort}/_local/health`)).rejects.toThrow();
}, 300_000);
