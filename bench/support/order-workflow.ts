import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The order workflow the Step Functions figures run: the project's ASL when present, else the
 * test fixture of the same shape. Plain data only, so a script measuring an older copy of the
 * local cloud can use it too.
 */
export function orderWorkflowDefinitionPath(): string {
  const real = path.resolve('amplify/workflow/order-workflow.asl.json');
  return existsSync(real)
    ? real
    : path.resolve('tests/local-cloud/fixtures/workflows/order-workflow.asl.json');
}

/** The input shape the order workflow reads (and the fixture ignores). */
export const orderWorkflowInput = (i: number) =>
  JSON.stringify({
    orderId: `o-${i}`,
    lines: [{ sku: 'tee', qty: 1 }],
    totalCents: 2500,
    currency: 'USD',
    payment: { method: 'card', token: 'tok_test' },
    shippingAddress: { line1: '1 Main St', city: 'Springfield', country: 'US' },
  });
