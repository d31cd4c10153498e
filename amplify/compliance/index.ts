import type { OrderWorkflow } from '../workflow/order-workflow';
import { requireTlsOnCodegenAssets } from './amplify-buckets';
import { checkWithCdkNag } from './cdk-nag';
import { acknowledgeAcceptedFindings } from './nag-suppressions';
import type { CompliantBackend } from './compliant-backend';

/**
 * Call once, after every resource exists: fixes what can be fixed on resources Amplify
 * generates, acknowledges the findings accepted on purpose (each with its reason, in
 * nag-suppressions.ts), and runs cdk-nag's AwsSolutions pack on every synthesis.
 */
export function applyCompliance(backend: CompliantBackend, workflow: OrderWorkflow): void {
  requireTlsOnCodegenAssets(backend);
  acknowledgeAcceptedFindings(backend, workflow);
  checkWithCdkNag(backend.stack);
}
