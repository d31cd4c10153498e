import type { CfnGraphQLApi } from 'aws-cdk-lib/aws-appsync';
import type { CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';

/** The parts of `defineBackend(...)`'s result the checks need. */
export interface CompliantBackend {
  stack: Construct;
  auth: { resources: { cfnResources: { cfnUserPool: CfnUserPool } } };
  data: { resources: { cfnResources: { cfnGraphqlApi: CfnGraphQLApi } } };
}
