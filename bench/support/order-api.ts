import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** Keep-alive and no socket cap, so an open-loop sender is never queued on the client side. */
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function call(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export type TestCard = 'success' | 'transient';
const CARDS: Record<TestCard, string> = {
  success: '4242424242424242',
  transient: '4000000000000119',
};

/** The checkout body of tests/orders/order-api-smoke.test.ts, for one line of `sku`. */
export function orderBody(sku: string, card: TestCard = 'success'): string {
  return JSON.stringify({
    shippingAddress: {
      fullName: 'Bench Shopper',
      email: 'bench@example.com',
      line1: '1 Row',
      city: 'London',
      postalCode: 'N1 9GU',
      country: 'GB',
    },
    payment: { cardNumber: CARDS[card], expiry: '12/39', cvc: '123' },
    lines: [{ sku, quantity: 1 }],
  });
}

export function submitOrder(
  baseUrl: string,
  idToken: string,
  idempotencyKey: string,
  body: string,
): Promise<ApiResponse> {
  return call(`${baseUrl}/api/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${idToken}`,
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
    },
    body,
  });
}

export function getOrder(baseUrl: string, idToken: string, orderId: string, etag?: string) {
  return call(`${baseUrl}/api/orders/${orderId}`, {
    headers: {
      authorization: `Bearer ${idToken}`,
      ...(etag ? { 'if-none-match': etag } : {}),
    },
  });
}

/** Warehouse staff pack the order: the route sends SendTaskSuccess with the stored token. */
export function packOrder(baseUrl: string, staffIdToken: string, orderId: string) {
  return call(`${baseUrl}/api/warehouse/tasks/${orderId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${staffIdToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ decision: 'packed' }),
  });
}

/** The local cloud's own health report: running and parked executions, live subscriptions. */
export async function cloudHealth(cloudUrl: string) {
  const response = await call(`${cloudUrl}/_local/health`);
  const health = JSON.parse(response.body) as {
    services: Record<string, { detail?: string }>;
  };
  const sfn = health.services.stepfunctions?.detail ?? '';
  const appsync = health.services.appsync?.detail ?? '';
  const number = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
  return {
    running: number(sfn, /(\d+) running/),
    parked: number(sfn, /(\d+) parked/),
    subscriptions: number(appsync, /(\d+) subscriptions/),
  };
}
