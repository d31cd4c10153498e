import type { CfnGraphQLApi } from 'aws-cdk-lib/aws-appsync';
import type { CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import type { OrderWorkflow } from '../workflow/order-workflow';
import { requireTlsOnCodegenAssets } from './amplify-buckets';
import { checkWithCdkNag } from './cdk-nag';
import { acknowledgeAcceptedFindings } from './nag-suppressions';

/** The parts of `defineBackend(...)`'s result the checks need. */
export interface CompliantBackend {
  stack: Construct;
  auth: { resources: { cfnResources: { cfnUserPool: CfnUserPool } } };
  data: { resources: { cfnResources: { cfnGraphqlApi: CfnGraphQLApi } } };
}

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
