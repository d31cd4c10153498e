import { LOCAL_CLOUD_URL, expect, test } from './fixtures';

const ORDER_ID = '00000000-0000-4000-8000-000000000000';

/** Every page route of the app (and a missing one, which renders not-found). */
const PAGES = [
  '/',
  '/cart',
  '/checkout',
  '/orders',
  `/orders/${ORDER_ID}`,
  '/products/harbor-house-blend',
  '/sign-in',
  '/warehouse',
  '/no-such-page',
];

/** Every API route, unauthenticated: errors must carry the headers as much as successes. */
const API: [method: 'GET' | 'POST', path: string][] = [
  ['GET', '/api/health'],
  ['GET', '/api/config'],
  ['GET', '/api/openapi.json'],
  ['GET', '/api/orders'],
  ['POST', '/api/orders'],
  ['GET', `/api/orders/${ORDER_ID}`],
  ['GET', '/api/warehouse/tasks'],
  ['POST', `/api/warehouse/tasks/${ORDER_ID}`],
];

function expectCommonHeaders(headers: Record<string, string>) {
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['permissions-policy']).toContain('camera=()');
  // Offline builds are served over http, where HSTS has no meaning.
  expect(headers['strict-transport-security']).toBeUndefined();
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  return csp;
}

function directive(csp: string, name: string): string[] {
  const found = csp.split(';').find((part) => part.trim().startsWith(`${name} `));
  return found?.trim().split(/\s+/).slice(1) ?? [];
}

for (const path of PAGES) {
  test(`page ${path} sends the security headers and nonces its scripts`, async ({ request }) => {
    const response = await request.get(path);
    const csp = expectCommonHeaders(response.headers());
    // connect-src: this origin plus the configured AppSync (http, ws) and Cognito, nothing else.
    expect(directive(csp, 'connect-src').sort()).toEqual(
      ["'self'", LOCAL_CLOUD_URL, LOCAL_CLOUD_URL.replace(/^http/, 'ws')].sort(),
    );
    const nonce = /'nonce-([^']+)'/.exec(directive(csp, 'script-src').join(' '))?.[1];
    expect(nonce).toBeTruthy();
    expect(directive(csp, 'script-src')).not.toContain("'unsafe-inline'");
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });
}

test('each page view gets a fresh nonce', async ({ request }) => {
  const nonces = await Promise.all(
    [1, 2].map(async () => {
      const response = await request.get('/');
      return /'nonce-([^']+)'/.exec(response.headers()['content-security-policy'] ?? '')?.[1];
    }),
  );
  expect(nonces[0]).toBeTruthy();
  expect(nonces[0]).not.toBe(nonces[1]);
});

for (const [method, path] of API) {
  test(`${method} ${path} sends the security headers`, async ({ request }) => {
    const response = await request.fetch(path, { method });
    const csp = expectCommonHeaders(response.headers());
    expect(directive(csp, 'script-src')).toEqual(["'self'"]);
  });
}
