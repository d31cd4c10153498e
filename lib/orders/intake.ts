import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { encodeIntakeMessage } from '@/amplify/functions/shared/intake-message';
import type { IntakeFields } from '@/amplify/functions/shared/order-item';
import {
  EXPECTED_STEP_SECONDS,
  type OrderStatus,
  type OrderUpdate,
} from '@/amplify/functions/shared/order-status';
import { startNamedExecution } from '@/amplify/functions/shared/start-execution';
import { intakePendingShard } from '@/amplify/functions/shared/table-schema';
import type { WorkflowInput } from '@/amplify/functions/shared/workflow-types';
import { sfn, sqs } from '@/lib/aws/clients';
import { loadOutputs, type AmplifyOutputs } from '@/lib/config/outputs';
import { pollDelaySeconds } from './polling';

/**
 * How an accepted order reaches the workflow, chosen by the backend (`custom.orderIntakeMode`
 * in amplify_outputs.json; see amplify/intake/intake-mode.ts), so the route and place-order
 * have no mode of their own to test for:
 * - `queue`: the order is written QUEUED with its first update (Queued, waiting) and the
 *   message the worker needs; then the message is sent. The intake worker starts the workflow.
 * - `direct`: the order is written PENDING and the execution started here.
 */
export interface OrderIntake {
  status: Extract<OrderStatus, 'QUEUED' | 'PENDING'>;
  /** When a client should first look again. */
  nextPollAt(now: Date): string;
  /** What the new order item starts with besides the order itself. */
  initialFields(input: WorkflowInput, now: Date): IntakeFields;
  /** Hands the recorded order on. Safe to repeat: each path is idempotent by the order id. */
  hand(input: WorkflowInput): Promise<void>;
}

export function orderIntake(outputs: AmplifyOutputs = loadOutputs()): OrderIntake {
  const { custom } = outputs;
  return custom.orderIntakeMode === 'queue'
    ? queueIntake(custom.orderIntakeQueueUrl)
    : directIntake(custom.orderWorkflowArn);
}

function firstPollAt(now: Date, seconds: number): string {
  return new Date(now.getTime() + pollDelaySeconds(seconds) * 1000).toISOString();
}

function directIntake(stateMachineArn: string): OrderIntake {
  return {
    status: 'PENDING',
    nextPollAt: (now) => firstPollAt(now, EXPECTED_STEP_SECONDS.ReserveInventory),
    initialFields: () => ({ orderStatus: 'PENDING', seq: 0, updates: [] }),
    async hand(input) {
      await startNamedExecution(sfn(), stateMachineArn, input.orderId, JSON.stringify(input));
    },
  };
}

function queueIntake(queueUrl: string): OrderIntake {
  const nextPollAt = (now: Date) => firstPollAt(now, EXPECTED_STEP_SECONDS.Queued);
  return {
    status: 'QUEUED',
    nextPollAt,
    initialFields(input, now) {
      const queued: OrderUpdate = {
        orderId: input.orderId,
        seq: 1,
        step: 'Queued',
        status: 'WAITING',
        attempt: 0,
        message: 'Waiting for capacity.',
        orderStatus: 'QUEUED',
        nextPollAt: nextPollAt(now),
        timestamp: now.toISOString(),
      };
      return {
        orderStatus: 'QUEUED',
        seq: queued.seq,
        updates: [queued],
        currentStep: queued.step,
        currentAttempt: queued.attempt,
        // The reconciler's sparse index: present until the worker has started the workflow.
        intakePending: intakePendingShard(input.orderId),
        queuedAt: now.toISOString(),
        intakeMessage: encodeIntakeMessage(input),
      };
    },
    async hand(input) {
      try {
        await sqs().send(
          new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: encodeIntakeMessage(input) }),
        );
      } catch (error) {
        // The order is recorded, and the answer is still 202: an order the API accepted is
        // durable, and the reconciler re-sends it once it has been queued too long without a
        // workflow. Failing the request would only invite a retry that does the same.
        console.error('intake: SendMessage failed; the reconciler will re-send', {
          orderId: input.orderId,
          error: String(error),
        });
      }
    },
  };
}
