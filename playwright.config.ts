import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * Playwright drives Debian's Chromium: `npx playwright install` cannot download browsers on
 * these machines. Override the binary with CHROMIUM_PATH.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  throw new Error(
    `Chromium not found at ${chromiumPath}.\n` +
      `Install it with: sudo apt-get update && sudo apt-get install -y chromium\n` +
      `or point CHROMIUM_PATH at an existing Chromium or Chrome binary.`,
  );
}

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// Not 4566, so a developer's running `npm run dev` is left alone.
const localCloudPort = Number(process.env.E2E_LOCAL_CLOUD_PORT ?? 4567);
const localCloudUrl = `http://127.0.0.1:${localCloudPort}`;

export default defineConfig({
  testDir: './e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  // Two cores: one browser per core, next to the server.
  workers: 2,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  // A workflow step can include a Lambda cold start (each function runs in containers of its
  // own, about half a second to start on these cores, several in a row on an order's first
  // run), so a status may take longer than Playwright's default 5 s to appear.
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      // Flags known to work as root on these machines; the background-networking ones keep
      // Chromium from flooding the closed network with refused connections.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: [
    {
      // The local cloud alone, in memory: every run starts from the demo seed.
      command: 'npx tsx scripts/dev.ts --no-app',
      url: `${localCloudUrl}/_local/health`,
      env: { LOCAL_CLOUD_PORT: String(localCloudPort), LOCAL_CLOUD_DATA_DIR: ':memory:' },
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
    {
      // A production build (made by `npm run test:e2e`) is faster and steadier than `next dev`.
      command: `npx next start -H 127.0.0.1 -p ${port}`,
      url: `${baseURL}/api/health`,
      env: {
        AWS_ENDPOINT_URL: localCloudUrl,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        // Polling delays ÷20, so the polling fallback is testable in seconds, not minutes.
        ORDER_POLL_TIME_SCALE: '0.05',
      },
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
