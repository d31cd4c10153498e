import { Stack } from 'aws-cdk-lib';
import type { BackedDataSource } from 'aws-cdk-lib/aws-appsync';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { CfnPolicy, Policy, Role } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * Amplify grants more than this backend needs: a DynamoDB data source gets read-write on the
 * table and all its indexes, and `allow.resource(fn)` lets the function call every Query,
 * Mutation and Subscription field. These overrides cut both down to the one action each
 * caller uses. They replace whole policy documents, so a new generated statement cannot slip
 * in unnoticed: the template tests assert the exact result.
 */
export function narrowOrdersDataSourceToGetItem(
  dataSource: BackedDataSource,
  orders: ITable,
): void {
  const role = dataSource.grantPrincipal;
  if (!(role instanceof Role)) throw new Error('narrowOrdersDataSourceToGetItem: no service role');
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!(policy instanceof Policy)) {
    throw new Error('narrowOrdersDataSourceToGetItem: data source role has no default policy');
  }
  overrideDocument(policy, {
    // The subscription resolver only reads the order's owner.
    Action: 'dynamodb:GetItem',
    Resource: orders.tableArn,
  });
}

export function narrowPublisherToField(
  dataStackMember: IConstruct,
  graphqlApiArn: string,
  typeName: 'Mutation',
  fieldName: string,
): void {
  const policies = Stack.of(dataStackMember)
    .node.findAll()
    .filter((c): c is Policy => c instanceof Policy && c.node.id.startsWith('GraphqlAccessPolicy'));
  const [policy] = policies;
  if (policies.length !== 1 || !policy) {
    throw new Error(
      `narrowPublisherToField: expected one GraphqlAccessPolicy, found ${policies.length}`,
    );
  }
  overrideDocument(policy, {
    Action: 'appsync:GraphQL',
    Resource: `${graphqlApiArn}/types/${typeName}/fields/${fieldName}`,
  });
}

/**
 * Sets the document on the L1 resource instead of a raw property override: the template is the
 * same, but checks that read the construct tree (cdk-nag) now see the narrowed grant rather
 * than the wildcard one Amplify generated.
 */
function overrideDocument(policy: Policy, statement: { Action: string; Resource: string }): void {
  const cfn = policy.node.defaultChild as CfnPolicy;
  cfn.policyDocument = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', ...statement }],
  };
}
