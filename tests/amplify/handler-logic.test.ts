import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { withIamOnlyField } from '../../amplify/data/iam-only-fields';
import { trackingNumberFor } from '../../amplify/functions/ship-order/handler';
import { warehouseListing } from '../../amplify/functions/await-warehouse/handler';
import { describeCaughtError } from '../../amplify/functions/shared/open-step';
import { nextPollAtFor, updateKey } from '../../amplify/functions/shared/order-status';
import { classifyCancellation, mergeLines } from '../../amplify/functions/shared/reservation';
import { decideCharge, findTestCard, TEST_CARDS } from '../../amplify/functions/shared/test-cards';
import {
  ORDER_UPDATE_FIELDS,
  publishRequestBody,
} from '../../amplify/functions/status-publisher/publish-mutation';
import { verifySigV4 } from '../../local-cloud/appsync/sigv4-verify';

describe('test cards', () => {
  it('maps the three documented numbers', () => {
    expect(findTestCard('4242 4242 4242 4242')?.behaviour).toBe('success');
    expect(findTestCard('4000-0000-0000-0002')?.behaviour).toBe('declined');
    expect(findTestCard('4000000000000119')?.behaviour).toBe('transient');
    expect(findTestCard('4111111111111111')).toBeUndefined();
    expect(TEST_CARDS).toHaveLength(3);
  });

  it('fails a transient card twice, then charges on the third attempt', () => {
    expect([0, 1, 2, 3].map((attempt) => decideCharge('transient', attempt))).toEqual([
      'transient-failure',
      'transient-failure',
      'charge',
      'charge',
    ]);
    expect(decideCharge('declined', 5)).toBe('decline');
    expect(decideCharge('success', 0)).toBe('charge');
  });
});

describe('reservation', () => {
  it('sums lines of the same sku (one transaction item per sku)', () => {
    expect(
      mergeLines([
        { sku: 'mug', quantity: 1 },
        { sku: 'tee', quantity: 2 },
        { sku: 'mug', quantity: 3 },
      ]),
    ).toEqual([
      { sku: 'mug', quantity: 4 },
      { sku: 'tee', quantity: 2 },
    ]);
    expect(() => mergeLines([{ sku: 'mug', quantity: 0 }])).toThrow(/Invalid quantity/);
  });

  it('reads transaction cancellation reasons', () => {
    const lines = [
      { sku: 'mug', quantity: 1 },
      { sku: 'tee', quantity: 1 },
    ];
    expect(
      classifyCancellation([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }], lines),
    ).toEqual({
      kind: 'already-reserved',
    });
    expect(
      classifyCancellation(
        [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
        lines,
      ),
    ).toEqual({ kind: 'out-of-stock', skus: ['tee'] });
    expect(classifyCancellation([{ Code: 'TransactionConflict' }], lines)).toEqual({
      kind: 'conflict',
    });
  });
});

describe('status helpers', () => {
  const now = new Date('2026-11-27T10:00:00.000Z');

  it('asks pollers back after the expected step duration, never once terminal', () => {
    expect(nextPollAtFor('ChargePayment', 'PROCESSING', now)).toBe('2026-11-27T10:00:05.000Z');
    expect(nextPollAtFor('AwaitWarehouse', 'AWAITING_WAREHOUSE', now)).toBe(
      '2026-11-27T10:02:00.000Z',
    );
    expect(nextPollAtFor('ShipOrder', 'SHIPPED', now)).toBeNull();
    expect(nextPollAtFor('ReleaseInventory', 'FAILED', now)).toBeNull();
  });

  it('keys updates by step, status and attempt so replays are recognised', () => {
    expect(updateKey('ChargePayment', 'FAILED', 1)).toBe('ChargePayment#FAILED#1');
    expect(updateKey('ChargePayment', 'FAILED', 1)).not.toBe(
      updateKey('ChargePayment', 'FAILED', 2),
    );
  });

  it('explains caught errors to shoppers', () => {
    expect(describeCaughtError({ Error: 'States.Timeout' })).toMatch(/in time/);
    expect(describeCaughtError({ Error: 'States.HeartbeatTimeout' })).toMatch(/progress/);
    expect(describeCaughtError({ Error: 'WarehouseRejected', Cause: 'damaged' })).toMatch(
      /damaged/,
    );
    expect(describeCaughtError({ Error: 'PaymentDeclined', Cause: 'The card was declined.' })).toBe(
      'PaymentDeclined: The card was declined.',
    );
  });

  it('derives a stable tracking number and the warehouse deadline', () => {
    expect(trackingNumberFor('order-1')).toBe(trackingNumberFor('order-1'));
    expect(trackingNumberFor('order-1')).not.toBe(trackingNumberFor('order-2'));
    expect(trackingNumberFor('order-1')).toMatch(/^DP[0-9A-F]{12}$/);
    expect(warehouseListing({ timeoutSeconds: 3600 }, now)).toEqual({
      listedAt: '2026-11-27T10:00:00.000Z',
      deadline: '2026-11-27T11:00:00.000Z',
    });
  });
});

describe('publishOrderUpdate request', () => {
  it('selects every OrderUpdate field and sends nulls for missing optionals', () => {
    const body = JSON.parse(
      publishRequestBody({
        orderId: 'o1',
        seq: 3,
        step: 'ChargePayment',
        status: 'STARTED',
        attempt: 0,
        orderStatus: 'PROCESSING',
        timestamp: '2026-11-27T10:00:00.000Z',
      }),
    ) as { query: string; variables: Record<string, unknown> };
    for (const field of ORDER_UPDATE_FIELDS)
      expect(body.query).toMatch(new RegExp(`\\n\\s+${field}\\n`));
    expect(body.variables).toMatchObject({
      orderId: 'o1',
      seq: 3,
      message: null,
      nextPollAt: null,
    });
  });
});

describe('signedPost', () => {
  it('sends the body with a SigV4 signature AppSync accepts, reusing one signer and socket', async () => {
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'signed-post-key',
      AWS_SECRET_ACCESS_KEY: 'signed-post-secret',
    });
    const { signedPost } = await import('../../amplify/functions/shared/signed-fetch');
    const received: { error?: unknown; body: string; socket: object }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
        );
        verifySigV4(
          { method: req.method!, url: req.url!, headers, body },
          {
            accessKeyId: 'signed-post-key',
            secretAccessKey: 'signed-post-secret',
            region: 'eu-west-1',
            service: 'appsync',
            now: Date.now(),
          },
        ).then(
          () => {
            received.push({ body: body.toString('utf8'), socket: req.socket });
            res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"ok":1}}');
          },
          (error: unknown) => {
            received.push({ error, body: body.toString('utf8'), socket: req.socket });
            res.writeHead(403).end('{}');
          },
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/graphql`;
      const bodies = ['{"query":"{ a }"}', '{"query":"{ b }","variables":{"x":"é"}}'];
      const responses = [];
      for (const body of bodies)
        responses.push(await signedPost({ service: 'appsync', url, body }));

      expect(received.map((r) => r.error)).toEqual([undefined, undefined]);
      expect(received.map((r) => r.body)).toEqual(bodies);
      expect(responses.map((r) => [r.status, r.ok, r.body])).toEqual([
        [200, true, '{"data":{"ok":1}}'],
        [200, true, '{"data":{"ok":1}}'],
      ]);
      // Kept alive: the second request reuses the first one's connection.
      expect(received[1]!.socket).toBe(received[0]!.socket);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('IAM-only rewrite of the SDL', () => {
  const sdl = `type Mutation @aws_iam {
  publishOrderUpdate(orderId: ID!, seq: Int!): OrderUpdate @aws_cognito_user_pools(cognito_groups: ["X"]) @aws_iam
  other: String @aws_cognito_user_pools
}

type Subscription @aws_iam {
  publishOrderUpdate: String @aws_cognito_user_pools
}
`;

  it('leaves exactly @aws_iam on the one field', () => {
    const out = withIamOnlyField(sdl, 'Mutation', 'publishOrderUpdate');
    expect(out).toContain('publishOrderUpdate(orderId: ID!, seq: Int!): OrderUpdate @aws_iam\n');
    expect(out).toContain('other: String @aws_cognito_user_pools\n');
    expect(out).toContain('publishOrderUpdate: String @aws_cognito_user_pools\n}');
  });

  it('fails loudly when the field is missing', () => {
    expect(() => withIamOnlyField(sdl, 'Mutation', 'nope')).toThrow(/found 0/);
    expect(() => withIamOnlyField(sdl, 'Query', 'publishOrderUpdate')).toThrow(/not found/);
  });
});
