import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OperatorAction } from '@/amplify/functions/shared/order-item';
import type { Caller } from '@/lib/auth/verify-token';
import { dynamo } from '@/lib/aws/clients';
import { loadOutputs } from '@/lib/config/outputs';

export type Operator = Pick<Caller, 'sub' | 'email'>;

/**
 * Keeps who did what to an order's workflow on the order itself, so the console shows it next
 * to the execution and it lives as long as the order. Written after the action succeeded:
 * a refused action leaves no trace, and a lost write loses the note, never the action.
 */
export async function recordOperatorAction(
  orderId: string,
  {
    action,
    operator,
    at,
    cause,
  }: { action: OperatorAction['action']; operator: Operator; at: string; cause?: string },
): Promise<void> {
  const entry: OperatorAction = {
    action,
    by: { sub: operator.sub, ...(operator.email ? { email: operator.email } : {}) },
    at,
    ...(cause ? { cause } : {}),
  };
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: loadOutputs().custom.ordersTableName,
        Key: { orderId },
        UpdateExpression: 'SET #actions = list_append(if_not_exists(#actions, :empty), :entry)',
        ConditionExpression: 'attribute_exists(orderId)',
        ExpressionAttributeNames: { '#actions': 'operatorActions' },
        ExpressionAttributeValues: { ':empty': [], ':entry': [entry] },
      }),
    );
  } catch (error) {
    console.error('recordOperatorAction failed', { orderId, action, error });
  }
}
