import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { decodeJWT } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as statusPublisher } from '@/amplify/functions/status-publisher/handler';
import type { OrderUpdate } from '@/amplify/functions/shared/order-status';
import {
  ACCESS_KEY_ID,
  KEEP_ALIVE_MS,
  SECRET_ACCESS_KEY,
  startAppSync,
  waitFor,
  type Harness,
} from './appsync-fixtures/harness';
import { openRaw } from './appsync-fixtures/raw-client';
import { REGION, type TestUser } from './appsync-fixtures/tokens';
import { installLoopbackWebSocket } from './appsync-fixtures/wss-downgrade';

const alice: TestUser = { sub: 'sub-alice', username: 'alice' };
const bob: TestUser = { sub: 'sub-bob', username: 'bob' };
const carol: TestUser = { sub: 'sub-carol', username: 'carol', groups: ['Warehouse'] };

const ON_ORDER_UPDATE = /* GraphQL */ `
  subscription OnOrderUpdate($orderId: ID!) {
    onOrderUpdate(orderId: $orderId) {
      orderId
      seq
      status
      orderStatus
    }
  }
`;

interface Received {
  orderId: string;
  seq: number;
}

let h: Harness;
let currentUser: TestUser = alice;
let restoreWebSocket: () => void;
let seq = 0;

function update(orderId: string): OrderUpdate {
  seq += 1;
  return {
    orderId,
    seq,
    step: 'ReserveInventory',
    status: 'SUCCEEDED',
    attempt: 1,
    message: null,
    orderStatus: 'PROCESSING',
    nextPollAt: null,
    timestamp: new Date().toISOString(),
  };
}

/** The production publisher: SigV4 (service appsync) with the default credential chain. */
const publish = (orderId: string) => statusPublisher(update(orderId));

function subscribeAs(user: TestUser, orderId: string) {
  currentUser = user;
  const received: Received[] = [];
  const errors: unknown[] = [];
  const observable = generateClient().graphql({
    query: ON_ORDER_UPDATE,
    variables: { orderId },
  }) as unknown as {
    subscribe(o: {
      next(v: { data: { onOrderUpdate: Received } }): void;
      error(e: unknown): void;
    }): { unsubscribe(): void };
  };
  const subscription = observable.subscribe({
    next: ({ data }) => received.push(data.onOrderUpdate),
    error: (e) => errors.push(e),
  });
  return { received, errors, unsubscribe: () => subscription.unsubscribe() };
}

async function signedFetch(body: string, secretAccessKey: string, tamper?: string) {
  const url = new URL(h.graphqlUrl);
  const signer = new SignatureV4({
    service: 'appsync',
    region: REGION,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey },
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { 'content-type': 'application/json', host: url.host },
    body,
  });
  return fetch(url, { method: 'POST', headers: signed.headers, body: tamper ?? body });
}

const start = (id: string, orderId: string, authorization: Record<string, string>) => ({
  type: 'start',
  id,
  payload: {
    data: JSON.stringify({ query: ON_ORDER_UPDATE, variables: { orderId } }),
    extensions: { authorization },
  },
});
const host = () => new URL(h.graphqlUrl).host;

/** A raw real-time connection of `user` with one acknowledged subscription to `orderId`. */
async function rawSubscription(user: TestUser, orderId: string, id: string) {
  const auth = { Authorization: await h.tokens.accessToken(user), host: host() };
  const conn = await openRaw(h.graphqlUrl, auth);
  conn.send({ type: 'connection_init' });
  await conn.next('connection_ack');
  conn.send(start(id, orderId, auth));
  expect(await conn.next('start_ack')).toEqual({ type: 'start_ack', id });
  return {
    conn,
    /** Ends the subscription; the service has dropped it once `complete` arrives. */
    async stop() {
      conn.send({ type: 'stop', id });
      expect(await conn.next('complete')).toEqual({ type: 'complete', id });
      conn.close();
    },
  };
}

const publishBody = (orderId: string) =>
  JSON.stringify({
    query: `mutation P($u: ID!) { publishOrderUpdate(orderId: $u, seq: 1, step: "ShipOrder",
      status: "SUCCEEDED", attempt: 1, orderStatus: "SHIPPED", timestamp: "2026-11-01T00:00:00Z") { orderId seq } }`,
    variables: { u: orderId },
  });

beforeAll(async () => {
  h = await startAppSync();
  await h.putOrder('A', alice.sub);
  await h.putOrder('B', alice.sub);
  Object.assign(process.env, {
    APPSYNC_GRAPHQL_URL: h.graphqlUrl,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
  });
  restoreWebSocket = installLoopbackWebSocket();
  const tokenCache = new Map<string, string>();
  Amplify.configure(
    { API: { GraphQL: { endpoint: h.graphqlUrl, region: REGION, defaultAuthMode: 'userPool' } } },
    {
      Auth: {
        tokenProvider: {
          async getTokens() {
            const token =
              tokenCache.get(currentUser.sub) ?? (await h.tokens.accessToken(currentUser));
            tokenCache.set(currentUser.sub, token);
            return { accessToken: decodeJWT(token) };
          },
        },
      },
    },
  );
});

afterAll(async () => {
  restoreWebSocket?.();
  await h?.close();
});

describe('HTTP publish (IAM only)', () => {
  it('accepts the status publisher signing with SigV4 and fans its update out', async () => {
    const subscriber = await rawSubscription(alice, 'A', 'p');
    const sent = update('A');
    await expect(statusPublisher(sent)).resolves.toEqual(sent);
    expect(await subscriber.conn.next('data')).toEqual({
      type: 'data',
      id: 'p',
      payload: {
        data: {
          onOrderUpdate: {
            orderId: 'A',
            seq: sent.seq,
            status: 'SUCCEEDED',
            orderStatus: 'PROCESSING',
          },
        },
      },
    });
    await subscriber.stop();
  });

  it('refuses an unsigned publish with 401 UnauthorizedException', async () => {
    const res = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: publishBody('A'),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: expect.any(String) }],
    });
  });

  it('refuses a publish signed with the wrong secret', async () => {
    const res = await signedFetch(publishBody('A'), 'not-the-secret');
    expect(res.status).toBe(403);
    const body = (await res.json()) as { errors: { errorType: string }[] };
    expect(body.errors[0]?.errorType).toBe('InvalidSignatureException');
  });

  it('refuses a body changed after signing', async () => {
    const res = await signedFetch(publishBody('A'), SECRET_ACCESS_KEY, publishBody('B'));
    expect(res.status).toBe(403);
  });

  it('answers a correctly signed raw request with the selected fields', async () => {
    const res = await signedFetch(publishBody('A'), SECRET_ACCESS_KEY);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { publishOrderUpdate: { orderId: 'A', seq: 1 } } });
  });

  it('denies a user-pool caller, even warehouse staff, field by field', async () => {
    const res = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await h.tokens.accessToken(carol),
      },
      body: publishBody('A'),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: unknown; errors: Record<string, unknown>[] };
    expect(body.data).toEqual({ publishOrderUpdate: null });
    expect(body.errors[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access publishOrderUpdate on type Mutation',
      path: ['publishOrderUpdate'],
    });
  });

  it('refuses an expired user-pool token with 401', async () => {
    const res = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await h.tokens.accessToken(alice, { expiresInS: -60 }),
      },
      body: publishBody('A'),
    });
    expect(res.status).toBe(401);
  });
});

describe('real-time with the aws-amplify v6 client', () => {
  it('delivers order A to its owner and never order B', async () => {
    const sub = subscribeAs(alice, 'A');
    await waitFor(() => h.service.stats().subscriptions === 1, 10_000, 'start_ack');
    const first = (await publish('A')).seq;
    await publish('B');
    const last = (await publish('A')).seq;
    // B was published between the two A updates and fan-out is ordered: once the last A is
    // here, B would have arrived before it.
    await waitFor(() => sub.received.some((r) => r.seq === last), 5000, 'the last A update');
    expect(sub.received.map((r) => [r.orderId, r.seq])).toEqual([
      ['A', first],
      ['A', last],
    ]);
    expect(sub.errors).toEqual([]);
    sub.unsubscribe();
    await waitFor(() => h.service.stats().subscriptions === 0, 5000, 'stop');
  });

  it('lets a Warehouse user follow any order', async () => {
    const sub = subscribeAs(carol, 'A');
    await waitFor(() => h.service.stats().subscriptions === 1, 10_000, 'start_ack');
    const sent = await publish('A');
    await waitFor(() => sub.received.length === 1, 5000, 'warehouse update');
    expect(sub.received[0]).toEqual({
      orderId: 'A',
      seq: sent.seq,
      status: 'SUCCEEDED',
      orderStatus: 'PROCESSING',
    });
    sub.unsubscribe();
    await waitFor(() => h.service.stats().subscriptions === 0, 5000, 'stop');
  });

  it('refuses a second user on order A with an error on the subscription', async () => {
    const sub = subscribeAs(bob, 'A');
    await waitFor(() => sub.errors.length === 1, 10_000, 'subscription error');
    expect(JSON.stringify(sub.errors[0])).toContain('Unauthorized');
    expect(h.service.stats().subscriptions).toBe(0);
    // Alice's subscription witnesses the publish: once it has the update, fan-out is done.
    const witness = await rawSubscription(alice, 'A', 'witness');
    const sent = await publish('A');
    expect(await witness.conn.next('data')).toMatchObject({
      id: 'witness',
      payload: { data: { onOrderUpdate: { orderId: 'A', seq: sent.seq } } },
    });
    expect(sub.received).toEqual([]);
    await witness.stop();
  });
});

describe('real-time protocol details', () => {
  it('acks, keeps alive, starts, delivers and stops (query-string auth form)', async () => {
    const auth = { Authorization: await h.tokens.accessToken(alice), host: host() };
    const conn = await openRaw(h.graphqlUrl, auth, 'query');
    expect(conn.ws.protocol).toBe('graphql-ws');
    conn.send({ type: 'connection_init' });
    expect(await conn.next('connection_ack')).toEqual({
      type: 'connection_ack',
      payload: { connectionTimeoutMs: 300000 },
    });
    await conn.next('ka');
    await conn.next('ka', KEEP_ALIVE_MS * 4);
    conn.send(start('s1', 'A', auth));
    expect(await conn.next('start_ack')).toEqual({ type: 'start_ack', id: 's1' });
    const sent = await publish('A');
    expect(await conn.next('data')).toEqual({
      type: 'data',
      id: 's1',
      payload: {
        data: {
          onOrderUpdate: {
            orderId: 'A',
            seq: sent.seq,
            status: 'SUCCEEDED',
            orderStatus: 'PROCESSING',
          },
        },
      },
    });
    conn.send({ type: 'stop', id: 's1' });
    expect(await conn.next('complete')).toEqual({ type: 'complete', id: 's1' });
    conn.close();
  });

  it('answers a bad connect token with connection_error', async () => {
    const auth = { Authorization: 'not-a-jwt', host: host() };
    const conn = await openRaw(h.graphqlUrl, auth);
    conn.send({ type: 'connection_init' });
    const error = await conn.next('connection_error');
    expect(error.payload).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: expect.any(String), errorCode: 401 }],
    });
  });

  it('authorizes each start on its own token', async () => {
    const aliceAuth = { Authorization: await h.tokens.accessToken(alice), host: host() };
    const conn = await openRaw(h.graphqlUrl, aliceAuth);
    conn.send({ type: 'connection_init' });
    await conn.next('connection_ack');
    conn.send(start('bob', 'A', { Authorization: await h.tokens.accessToken(bob), host: host() }));
    expect(await conn.next('error')).toMatchObject({
      id: 'bob',
      payload: {
        errors: [
          {
            errorType: 'Unauthorized',
            message: 'Not Authorized to access onOrderUpdate on type Subscription',
          },
        ],
      },
    });
    conn.send(start('none', 'A', {}));
    expect(await conn.next('error')).toMatchObject({
      id: 'none',
      payload: { errors: [{ errorType: 'UnauthorizedException' }] },
    });
    conn.send(start('missing', 'no-such-order', aliceAuth));
    expect(await conn.next('error')).toMatchObject({ id: 'missing' });
    conn.close();
  });

  it('verifies SigV4 on connect and on start; the resolver still refuses IAM callers', async () => {
    const url = new URL(h.graphqlUrl);
    const signer = new SignatureV4({
      service: 'appsync',
      region: REGION,
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
      sha256: Sha256,
    });
    // The headers api-graphql signs for real-time IAM auth (AWS_APPSYNC_REALTIME_HEADERS).
    const sign = async (path: string, body: string) =>
      (
        await signer.sign({
          method: 'POST',
          protocol: 'http:',
          hostname: url.hostname,
          port: Number(url.port),
          path,
          headers: {
            accept: 'application/json, text/javascript',
            'content-encoding': 'amz-1.0',
            'content-type': 'application/json; charset=UTF-8',
            host: url.host,
          },
          body,
        })
      ).headers as Record<string, string>;
    const conn = await openRaw(h.graphqlUrl, await sign('/graphql/connect', '{}'));
    conn.send({ type: 'connection_init' });
    await conn.next('connection_ack');
    const data = JSON.stringify({ query: ON_ORDER_UPDATE, variables: { orderId: 'A' } });
    conn.send({
      type: 'start',
      id: 'iam',
      payload: { data, extensions: { authorization: await sign('/graphql', data) } },
    });
    expect(await conn.next('error')).toMatchObject({
      id: 'iam',
      payload: { errors: [{ errorType: 'Unauthorized' }] },
    });
    conn.send({
      type: 'start',
      id: 'forged',
      payload: { data, extensions: { authorization: await sign('/graphql', '{}') } },
    });
    expect(await conn.next('error')).toMatchObject({
      id: 'forged',
      payload: { errors: [{ errorType: 'InvalidSignatureException' }] },
    });
    conn.close();
  });

  it('applies argument validation like AppSync (orderId is required)', async () => {
    const auth = { Authorization: await h.tokens.accessToken(alice), host: host() };
    const conn = await openRaw(h.graphqlUrl, auth);
    conn.send({ type: 'connection_init' });
    await conn.next('connection_ack');
    conn.send({
      type: 'start',
      id: 'v',
      payload: {
        data: JSON.stringify({ query: 'subscription { onOrderUpdate { orderId } }' }),
        extensions: { authorization: auth },
      },
    });
    const error = await conn.next('error');
    expect(JSON.stringify(error)).toContain('orderId');
    conn.close();
  });
});
