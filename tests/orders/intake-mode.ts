import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IntakeMode } from '../../amplify/intake/intake-mode';
import { startOfflineStack, type OfflineStack } from '../support/offline-stack';
import {
  documentClient,
  loadRoutes,
  orderBody,
  postOrder,
  tablesOf,
  waitForStatus,
} from './order-api';

/**
 * The same order through either intake mode the backend can be configured with: the queue
 * (default: order written QUEUED, the intake worker starts the workflow) and direct (the API
 * starts it). Everything after the start is the same workflow. One mode per test file: the
 * app's modules cache the outputs and the token verifier of the stack they first meet.
 */
export function intakeModeSpec(intakeMode: IntakeMode) {
  let stack: OfflineStack;
  beforeAll(async () => {
    stack = await startOfflineStack({ timeScale: 20, intakeMode });
  }, 60_000);
  afterAll(() => stack?.close());

  it('accepts at once and reaches the warehouse; a repeat with the key starts nothing twice', async () => {
    const routes = await loadRoutes();
    const tables = tablesOf(stack);
    const token = await stack.shopper(`${intakeMode}-intake@example.com`);
    const key = crypto.randomUUID();
    const body = orderBody();

    const response = await postOrder(routes, token, body, key);
    expect(response.status).toBe(202);
    const placed = (await response.json()) as { orderId: string; status: string };
    expect(placed.status).toBe(intakeMode === 'queue' ? 'QUEUED' : 'PENDING');

    const item = await waitForStatus(documentClient(stack), tables, placed.orderId, [
      'AWAITING_WAREHOUSE',
    ]);
    const updates = item.updates as { step: string; status: string; seq: number }[];
    if (intakeMode === 'queue') {
      // Waiting (written with the order), then picked up, before the workflow's first step.
      expect(updates.slice(0, 3).map((u) => `${u.step}:${u.status}`)).toEqual([
        'Queued:WAITING',
        'Queued:SUCCEEDED',
        'ReserveInventory:STARTED',
      ]);
      // Started: out of the reconciler's index.
      expect(item.intakePending).toBeUndefined();
      expect(item.intakeMessage).toBeUndefined();
      expect(item.executionStartedAt).toEqual(expect.any(String));
    } else {
      expect(updates.some((u) => u.step === 'Queued')).toBe(false);
      expect(updates[0]).toMatchObject({ step: 'ReserveInventory', status: 'STARTED' });
    }

    const repeat = await postOrder(routes, token, body, key);
    expect(repeat.status).toBe(202);
    expect(((await repeat.json()) as { orderId: string }).orderId).toBe(placed.orderId);
    const sfn = new SFNClient({ endpoint: stack.cloud.url, region: stack.cloud.region });
    const { executions = [] } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: tables.workflowArn }),
    );
    expect(executions.filter((e) => e.name === placed.orderId)).toHaveLength(1);
  });
}
