import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, startOfflineStack, type OfflineStack } from '../support/offline-stack';
import {
  CARDS,
  decide,
  documentClient,
  loadRoutes,
  orderBody,
  orderItem,
  postOrder,
  problemOf,
  tablesOf,
  waitForStatus,
  type Tables,
} from '../orders/order-api';

/**
 * The operations console's execution routes against the real local Step Functions: what an
 * operator reads (the path, each state's outcome, a redacted history) and does (redrive, stop),
 * and every refusal: anonymous 401, shoppers and warehouse staff 403, unknown or foreign ARNs
 * 404, an action the execution's state does not allow 409, bad input 400/422.
 */
let stack: OfflineStack;
let routes: Awaited<ReturnType<typeof loadRoutes>>;
let ops: {
  list: typeof import('../../app/api/ops/executions/route');
  one: typeof import('../../app/api/ops/executions/[executionArn]/route');
  redrive: typeof import('../../app/api/ops/executions/[executionArn]/redrive/route');
  stop: typeof import('../../app/api/ops/executions/[executionArn]/stop/route');
};
let tables: Tables;
let db: ReturnType<typeof documentClient>;
let shopper: string;
let staff: string;
let operator: string;

beforeAll(async () => {
  stack = await startOfflineStack({ timeScale: 20 });
  routes = await loadRoutes();
  ops = {
    list: await import('../../app/api/ops/executions/route'),
    one: await import('../../app/api/ops/executions/[executionArn]/route'),
    redrive: await import('../../app/api/ops/executions/[executionArn]/redrive/route'),
    stop: await import('../../app/api/ops/executions/[executionArn]/stop/route'),
  };
  tables = tablesOf(stack);
  db = documentClient(stack);
  shopper = await stack.shopper('ops-api@example.com');
  staff = await stack.idToken(DEMO_ACCOUNTS.warehouse);
  operator = await stack.idToken(DEMO_ACCOUNTS.operator);
}, 60_000);
afterAll(() => stack?.close());

const BASE = 'http://shop.test/api/ops/executions';
const auth = (token?: string): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};
const params = (executionArn: string) => ({
  params: Promise.resolve({ executionArn: encodeURIComponent(executionArn) }),
});

function list(token: string | undefined, query = '') {
  return ops.list.GET(new Request(`${BASE}${query}`, { headers: auth(token) }));
}
function detail(token: string | undefined, arn: string) {
  return ops.one.GET(new Request(`${BASE}/x`, { headers: auth(token) }), params(arn));
}
function redrive(token: string | undefined, arn: string) {
  return ops.redrive.POST(
    new Request(`${BASE}/x/redrive`, { method: 'POST', headers: auth(token) }),
    params(arn),
  );
}
function stop(token: string | undefined, arn: string, body: unknown) {
  return ops.stop.POST(
    new Request(`${BASE}/x/stop`, {
      method: 'POST',
      headers: { ...auth(token), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    params(arn),
  );
}

async function place(card: string) {
  const response = await postOrder(routes, shopper, orderBody({ sku: 'assam-breakfast', card }));
  expect(response.status).toBe(202);
  return (await response.json()) as { orderId: string; executionArn: string };
}

describe('who may use the console', () => {
  it('refuses anonymous callers with 401 and shoppers and warehouse staff with 403', async () => {
    expect((await list(undefined)).status).toBe(401);
    for (const token of [shopper, staff]) {
      const refused = await list(token);
      expect(refused.status).toBe(403);
      expect(await problemOf(refused)).toMatchObject({ status: 403, title: 'Operators only' });
      expect(
        (await redrive(token, 'arn:aws:states:us-east-1:000000000000:execution:x:y')).status,
      ).toBe(403);
    }
  });
});

describe('reading executions', () => {
  it('shows a declined order: listed as FAILED, the path through compensation, redacted history', async () => {
    const { orderId, executionArn } = await place(CARDS.declined);
    await waitForStatus(db, tables, orderId, ['FAILED']);
    await expect
      .poll(
        async () =>
          (
            (await (await list(operator, `?orderId=${orderId}`)).json()) as {
              executions: { status: string }[];
            }
          ).executions[0]?.status,
      )
      .toBe('FAILED');

    const failed = (await (await list(operator, '?status=FAILED&limit=100')).json()) as {
      executions: { orderId: string; executionArn: string }[];
    };
    expect(failed.executions.map((e) => e.orderId)).toContain(orderId);

    const response = await detail(operator, executionArn);
    expect(response.status).toBe(200);
    const view = (await response.json()) as {
      status: string;
      definition: { States: Record<string, unknown> };
      progress: {
        path: string[];
        states: Record<string, { outcome: string; attempts: number; error?: { error?: string } }>;
      };
      history: { type: string }[];
    };
    expect(view.status).toBe('FAILED');
    expect(Object.keys(view.definition.States)).toContain('ChargePayment');
    expect(view.progress.path).toEqual([
      'ReserveInventory',
      'ChargePayment',
      'RefundPayment',
      'ReleaseInventory',
      'OrderFailed',
    ]);
    expect(view.progress.states.ChargePayment).toMatchObject({
      outcome: 'caught',
      attempts: 1,
      error: { error: 'PaymentDeclined' },
    });
    expect(view.progress.states.OrderFailed!.outcome).toBe('failed');
    expect(view.progress.states.AwaitWarehouse).toBeUndefined();
    expect(view.history[0]!.type).toBe('ExecutionStarted');
    // The test card's number never reached the workflow; its last four digits did, as data.
    expect(JSON.stringify(view.history)).not.toMatch(/4000 ?0000 ?0000 ?0002/);
  });

  it('redacts the warehouse step’s task token from the history', async () => {
    const { orderId, executionArn } = await place(CARDS.success);
    await waitForStatus(db, tables, orderId, ['AWAITING_WAREHOUSE']);
    const token = (await orderItem(db, tables, orderId))!.taskToken as string;
    const view = (await (await detail(operator, executionArn)).json()) as {
      status: string;
      progress: { states: Record<string, { outcome: string }> };
    };
    expect(view.status).toBe('RUNNING');
    expect(view.progress.states.AwaitWarehouse!.outcome).toBe('running');
    expect(JSON.stringify(view)).not.toContain(token);
    expect(JSON.stringify(view)).toContain('[redacted]');
    expect((await decide(routes, staff, orderId, { decision: 'packed' })).status).toBe(204);
  });

  it('answers unknown and foreign executions with 404 and a bad query with 400', async () => {
    const machine = stack.cloud.outputs!.custom.orderWorkflowArn as string;
    const unknown = machine.replace(':stateMachine:', ':execution:') + ':' + crypto.randomUUID();
    const foreign =
      'arn:aws:states:us-east-1:000000000000:execution:SomeoneElse:' + crypto.randomUUID();
    for (const arn of [unknown, foreign, 'not-an-arn']) {
      const response = await detail(operator, arn);
      expect(response.status).toBe(404);
      expect(await problemOf(response)).toMatchObject({ type: '/problems/unknown-execution' });
      expect((await redrive(operator, arn)).status).toBe(404);
    }
    for (const query of [
      '?status=BROKEN',
      '?limit=0',
      '?color=red',
      '?status=FAILED&status=RUNNING',
    ]) {
      const response = await list(operator, query);
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({ type: '/problems/invalid-query' });
    }
    const none = (await (await list(operator, '?orderId=not-an-order')).json()) as {
      executions: unknown[];
    };
    expect(none.executions).toEqual([]);
  });
});

describe('acting on executions', () => {
  it('stops a running execution once, with its cause and who did it; a second stop is 409', async () => {
    const { orderId, executionArn } = await place(CARDS.success);
    await waitForStatus(db, tables, orderId, ['AWAITING_WAREHOUSE']);
    const invalid = await stop(operator, executionArn, {});
    expect(invalid.status).toBe(422);
    expect(await problemOf(invalid)).toMatchObject({ type: '/problems/validation-error' });

    const stopped = await stop(operator, executionArn, { cause: 'Customer asked to cancel' });
    expect(stopped.status).toBe(200);
    const again = await stop(operator, executionArn, { cause: 'Clicked twice' });
    expect(again.status).toBe(409);
    expect(await problemOf(again)).toMatchObject({ type: '/problems/execution-state-conflict' });

    const view = (await (await detail(operator, executionArn)).json()) as {
      status: string;
      cause: string;
      progress: { states: Record<string, { outcome: string }> };
    };
    expect(view.status).toBe('ABORTED');
    expect(view.cause).toBe(`Stopped by ${DEMO_ACCOUNTS.operator.email}: Customer asked to cancel`);
    expect(view.progress.states.AwaitWarehouse!.outcome).toBe('stopped');
    const item = await orderItem(db, tables, orderId);
    expect(item?.operatorActions).toEqual([
      {
        action: 'stop',
        by: { sub: expect.any(String), email: DEMO_ACCOUNTS.operator.email },
        at: expect.any(String),
        cause: 'Customer asked to cancel',
      },
    ]);
  });

  it('redrives a failed execution once; a running or succeeded one is refused with 409', async () => {
    const { orderId, executionArn } = await place(CARDS.declined);
    await waitForStatus(db, tables, orderId, ['FAILED']);
    await expect
      .poll(
        async () =>
          ((await (await detail(operator, executionArn)).json()) as { status: string }).status,
      )
      .toBe('FAILED');
    const redriven = await redrive(operator, executionArn);
    expect(redriven.status).toBe(200);
    const view = (await (await detail(operator, executionArn)).json()) as { redriveCount: number };
    expect(view.redriveCount).toBe(1);
    expect((await orderItem(db, tables, orderId))?.operatorActions).toMatchObject([
      { action: 'redrive', by: { email: DEMO_ACCOUNTS.operator.email } },
    ]);

    const running = await place(CARDS.success);
    await waitForStatus(db, tables, running.orderId, ['AWAITING_WAREHOUSE']);
    const refused = await redrive(operator, running.executionArn);
    expect(refused.status).toBe(409);
    expect(await problemOf(refused)).toMatchObject({ type: '/problems/execution-state-conflict' });
    expect((await decide(routes, staff, running.orderId, { decision: 'packed' })).status).toBe(204);
  });
});
