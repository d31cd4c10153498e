import { readFileSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildSchema, type FieldDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_WORKFLOW_ASL_PATH } from '../../amplify/workflow/order-workflow';
import { placeholdersIn } from '../../amplify/workflow/placeholders';
import {
  assetHash,
  resourcesOfType,
  synthesizeBackend,
  type CfnResource,
  type SynthesizedBackend,
} from './synthesized-backend';

const FORBIDDEN_WILDCARD_SERVICES = ['states:', 'dynamodb:', 'lambda:', 'appsync:', 'sqs:', 'sns:'];

let backend: SynthesizedBackend;
let all: Template[];

beforeAll(() => {
  backend = synthesizeBackend();
  all = [...backend.templates.values()].map((t) => Template.fromJSON(t));
  console.log(`Backend synthesized offline in ${backend.seconds.toFixed(1)} s (no bundling).`);
});
afterAll(() => backend?.dispose());

const only = <T>(items: T[], what: string): T => {
  expect(items.length, what).toBe(1);
  return items[0]!;
};
const props = (r: CfnResource) => r.Properties ?? {};
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

describe('synthesized backend', () => {
  it('has a STANDARD state machine whose definition is the ASL file, byte for byte', () => {
    const [, machine] = only(
      resourcesOfType(backend.templates, 'AWS::StepFunctions::StateMachine'),
      'state machines',
    );
    const p = props(machine);
    expect(p.StateMachineType).toBe('STANDARD');
    const file = readFileSync(ORDER_WORKFLOW_ASL_PATH, 'utf8');
    expect(p.DefinitionString).toBe(file);
    const substitutions = Object.keys(p.DefinitionSubstitutions as object).sort();
    expect(substitutions).toEqual(placeholdersIn(file).sort());
    expect(p.TracingConfiguration).toEqual({ Enabled: true });
    const logging = p.LoggingConfiguration as { Level: string; Destinations: unknown[] };
    expect(['ALL', 'ERROR']).toContain(logging.Level);
    expect(logging.Destinations).toHaveLength(1);
  });

  it('points every substitution at a Lambda function of the same stack', () => {
    const workflow = [...backend.templates.values()].find((t) =>
      Object.values(t.Resources).some((r) => r.Type === 'AWS::StepFunctions::StateMachine'),
    )!;
    const machine = Object.values(workflow.Resources).find(
      (r) => r.Type === 'AWS::StepFunctions::StateMachine',
    )!;
    for (const [key, value] of Object.entries(props(machine).DefinitionSubstitutions as object)) {
      const logicalId = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
      expect(workflow.Resources[logicalId ?? '']?.Type, key).toBe('AWS::Lambda::Function');
    }
  });

  it('grants no wildcard action and no "*" resource for states, dynamodb, lambda, appsync, sqs, sns', () => {
    const statements = [
      ...resourcesOfType(backend.templates, 'AWS::IAM::Policy'),
      ...resourcesOfType(backend.templates, 'AWS::IAM::ManagedPolicy'),
    ].flatMap(([id, r]) =>
      ((props(r).PolicyDocument as { Statement: Record<string, unknown>[] }).Statement ?? []).map(
        (s) => ({ id, s }),
      ),
    );
    const roleInline = resourcesOfType(backend.templates, 'AWS::IAM::Role').flatMap(([id, r]) =>
      ((props(r).Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[]) ?? [])
        .flatMap((p) => p.PolicyDocument.Statement)
        .map((s) => ({ id, s })),
    );
    let checked = 0;
    for (const { id, s } of [...statements, ...roleInline]) {
      const actions = asList(s.Action).map(String);
      const sensitive = actions.filter((a) =>
        FORBIDDEN_WILDCARD_SERVICES.some((p) => a.startsWith(p)),
      );
      if (sensitive.length === 0) continue;
      checked++;
      expect(
        actions.filter((a) => a.includes('*')),
        id,
      ).toEqual([]);
      expect(asList(s.Resource), `${id} ${sensitive.join(',')}`).not.toContain('*');
      expect(JSON.stringify(s.Resource), id).not.toMatch(/\/index\/\*|types\/\w+\/\*/);
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('uses "*" only for X-Ray and CloudWatch Logs delivery', () => {
    const starActions = [
      ...resourcesOfType(backend.templates, 'AWS::IAM::Policy'),
      ...resourcesOfType(backend.templates, 'AWS::IAM::ManagedPolicy'),
    ]
      .filter(([id]) => id.startsWith('OrderWorkflow'))
      .flatMap(
        ([, r]) => (props(r).PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      )
      .filter((s) => asList(s.Resource).includes('*'))
      .flatMap((s) => asList(s.Action).map(String));
    expect(starActions.length).toBeGreaterThan(0);
    for (const action of starActions) expect(action).toMatch(/^(xray|logs):/);
  });

  it('gives the app server exactly the workflow calls the issue lists (queue mode: no start)', () => {
    const [, policy] = only(
      resourcesOfType(backend.templates, 'AWS::IAM::ManagedPolicy').filter(([id]) =>
        id.startsWith('OrderWorkflowAppServerPolicy'),
      ),
      'app server policy',
    );
    const actions = (
      props(policy).PolicyDocument as { Statement: { Action: string[] }[] }
    ).Statement.flatMap((s) => asList(s.Action).map(String))
      .filter((a) => a.startsWith('states:'))
      .sort();
    expect(actions).toEqual(
      [
        'states:DescribeExecution',
        'states:GetExecutionHistory',
        'states:SendTaskFailure',
        'states:SendTaskHeartbeat',
        'states:SendTaskSuccess',
      ].sort(),
    );
  });

  it('lets the app server only send to the intake queue, and the worker only start this machine', () => {
    const statements = (id: string) =>
      (
        props(
          only(
            resourcesOfType(backend.templates, 'AWS::IAM::ManagedPolicy').filter(([key]) =>
              key.startsWith(id),
            ),
            id,
          )[1],
        ).PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }
      ).Statement;
    const intake = statements('OrderIntakeAppServerPolicy');
    expect(intake.map((s) => asList(s.Action))).toEqual([['sqs:SendMessage']]);
    expect(JSON.stringify(intake[0]!.Resource)).toContain('OrderIntakeQueue');

    const [, mapping] = only(
      resourcesOfType(backend.templates, 'AWS::Lambda::EventSourceMapping'),
      'event source mapping',
    );
    expect(props(mapping)).toMatchObject({
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    const queues = resourcesOfType(backend.templates, 'AWS::SQS::Queue');
    for (const [id, queue] of queues) {
      expect(props(queue).SqsManagedSseEnabled, id).toBe(true);
    }
    const [, main] = only(
      queues.filter(([id]) => id.startsWith('OrderIntakeQueue')),
      'intake queue',
    );
    expect(props(main).VisibilityTimeout).toBe(180);
    expect(props(main).MessageRetentionPeriod).toBeGreaterThanOrEqual(4 * 24 * 3600);
    expect(props(main).RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    // TLS only: every queue's policy denies requests without aws:SecureTransport.
    const policies = resourcesOfType(backend.templates, 'AWS::SQS::QueuePolicy');
    expect(policies).toHaveLength(queues.length);
    for (const [id, policy] of policies) {
      expect(JSON.stringify(props(policy).PolicyDocument), id).toContain(
        '"aws:SecureTransport":"false"',
      );
    }
    const workerPolicy = resourcesOfType(backend.templates, 'AWS::IAM::Policy').find(([id]) =>
      id.startsWith('intakeworkerlambdaServiceRoleDefaultPolicy'),
    );
    const workerStatements = (
      props(workerPolicy![1]).PolicyDocument as { Statement: { Action: string | string[] }[] }
    ).Statement.flatMap((s) => asList(s.Action).map(String));
    expect(workerStatements.filter((a) => a.startsWith('states:'))).toEqual([
      'states:StartExecution',
    ]);
    expect(workerStatements.filter((a) => a.startsWith('sqs:')).sort()).toEqual(
      [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ].sort(),
    );
  });

  it('creates on-demand tables with point-in-time recovery, TTL on idempotency keys', () => {
    const tables = resourcesOfType(backend.templates, 'AWS::DynamoDB::Table');
    expect(tables.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'OrderTablesIdempotency',
      'OrderTablesInventory',
      'OrderTablesOrders',
    ]);
    for (const [id, table] of tables) {
      expect(props(table).BillingMode, id).toBe('PAY_PER_REQUEST');
      expect(props(table).PointInTimeRecoverySpecification, id).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
    }
    const tablesTemplate = all.find((t) =>
      Object.keys((t.toJSON() as { Resources: object }).Resources).some((id) =>
        id.startsWith('OrderTablesIdempotency'),
      ),
    )!;
    tablesTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    tablesTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({ IndexName: 'byOwner' }),
        Match.objectLike({ IndexName: 'byWarehouseStatus' }),
      ]),
    });
  });

  it('filters the subscription on orderId and checks ownership in its resolver', () => {
    const [, fn] = only(
      resourcesOfType(backend.templates, 'AWS::AppSync::FunctionConfiguration').filter(
        ([, r]) => props(r).Name === 'Fn_Subscription_onOrderUpdate_1',
      ),
      'subscription function',
    );
    expect(props(fn).Runtime).toEqual({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' });
    expect(props(fn).DataSourceName).toBe('OrdersTableDataSource');
    const code = backend.asset(assetHash(props(fn).CodeS3Location), 'js');
    expect(code).toBe(readFileSync('amplify/data/resolvers/on-order-update.js', 'utf8'));
    expect(code).toMatch(
      /setSubscriptionFilter\(\s*util\.transform\.toSubscriptionFilter\(\{ orderId: \{ eq: ctx\.args\.orderId \} \}\)/,
    );
    expect(code).toContain("groups.includes('Warehouse')");
    expect(code).toContain('ctx.identity.sub');
    expect(code).toContain('util.unauthorized()');
  });

  it('lets the Orders data source read items only', () => {
    const [, policy] = only(
      resourcesOfType(backend.templates, 'AWS::IAM::Policy').filter(([id]) =>
        id.includes('OrdersTableDataSourceServiceRoleDefaultPolicy'),
      ),
      'data source policy',
    );
    const statements = (props(policy).PolicyDocument as { Statement: { Action: unknown }[] })
      .Statement;
    expect(statements.map((s) => s.Action)).toEqual(['dynamodb:GetItem']);
  });

  it('exposes publishOrderUpdate to IAM only, on a NONE data source', () => {
    const [, schema] = only(
      resourcesOfType(backend.templates, 'AWS::AppSync::GraphQLSchema'),
      'graphql schema',
    );
    const sdl = String(props(schema).Definition);
    const appsyncDirectives =
      'directive @aws_iam on FIELD_DEFINITION | OBJECT\ndirective @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT\ndirective @aws_subscribe(mutations: [String]) on FIELD_DEFINITION\nscalar AWSDateTime\n';
    const parsed = buildSchema(appsyncDirectives + sdl);
    const directivesOf = (type: 'Mutation' | 'Subscription', field: string) =>
      (
        parsed.getType(type)?.astNode as { fields?: readonly FieldDefinitionNode[] } | undefined
      )?.fields
        ?.find((f) => f.name.value === field)
        ?.directives?.map((d) => d.name.value);
    expect(directivesOf('Mutation', 'publishOrderUpdate')).toEqual(['aws_iam']);
    expect(directivesOf('Subscription', 'onOrderUpdate')).toContain('aws_cognito_user_pools');

    const [, publishFn] = only(
      resourcesOfType(backend.templates, 'AWS::AppSync::FunctionConfiguration').filter(
        ([, r]) => props(r).Name === 'Fn_Mutation_publishOrderUpdate_1',
      ),
      'publish function',
    );
    const [, noneDs] = only(
      resourcesOfType(backend.templates, 'AWS::AppSync::DataSource').filter(
        ([, r]) => props(r).Name === props(publishFn).DataSourceName,
      ),
      'publish data source',
    );
    expect(props(noneDs).Type).toBe('NONE');
  });

  it('lets only the status publisher call AppSync, on the publish field only', () => {
    const appsync = [...resourcesOfType(backend.templates, 'AWS::IAM::Policy')].filter(([, r]) =>
      JSON.stringify(props(r).PolicyDocument).includes('appsync:'),
    );
    const [, policy] = only(appsync, 'appsync policies');
    expect(JSON.stringify(props(policy).Roles)).toMatch(/statuspublisher/);
    expect(JSON.stringify(props(policy).PolicyDocument)).toContain(
      '/types/Mutation/fields/publishOrderUpdate',
    );
  });

  it('allows only SRP and refresh sign-in flows (no plain password) on the user pool client', () => {
    const [, client] = only(
      resourcesOfType(backend.templates, 'AWS::Cognito::UserPoolClient'),
      'user pool clients',
    );
    expect([...(props(client).ExplicitAuthFlows as string[])].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    const groups = resourcesOfType(backend.templates, 'AWS::Cognito::UserPoolGroup').map(
      ([, group]) => props(group).GroupName,
    );
    expect(groups.sort()).toEqual(['Operations', 'Warehouse']);
  });

  it('runs every Amplify function on Node.js 24, the newest runtime Lambda offers', () => {
    const functions = resourcesOfType(backend.templates, 'AWS::Lambda::Function').filter(([id]) =>
      /lambda[0-9A-F]{8}$/.test(id),
    );
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const [id, fn] of functions) expect(props(fn).Runtime, id).toBe('nodejs24.x');
  });

  it('logs AppSync field errors without verbose content, and allows no guest identities', () => {
    const [, api] = only(
      resourcesOfType(backend.templates, 'AWS::AppSync::GraphQLApi'),
      'graphql apis',
    );
    expect(props(api).LogConfig).toMatchObject({
      FieldLogLevel: 'ERROR',
      ExcludeVerboseContent: true,
    });
    const [, pool] = only(
      resourcesOfType(backend.templates, 'AWS::Cognito::IdentityPool'),
      'identity pools',
    );
    expect(props(pool).AllowUnauthenticatedIdentities).toBe(false);
  });

  it('publishes table names and the state machine ARN in the custom outputs', () => {
    const root = [...backend.templates.entries()].find(([f]) => !f.includes('.nested.'))![1];
    const custom = JSON.stringify(root.Outputs?.customOutputs?.Value);
    for (const key of [
      'ordersTableName',
      'inventoryTableName',
      'idempotencyTableName',
      'orderWorkflowArn',
      'appServerPolicyArn',
    ]) {
      expect(custom).toContain(`\\"${key}\\"`);
    }
  });

  it('configures each task function through the contract environment names', () => {
    const functions = resourcesOfType(backend.templates, 'AWS::Lambda::Function').filter(([id]) =>
      /^(reserveinventory|chargepayment|awaitwarehouse|shiporder|refundpayment|releaseinventory)lambda/.test(
        id,
      ),
    );
    expect(functions.length).toBe(6);
    for (const [id, fn] of functions) {
      const vars = Object.keys(
        (props(fn).Environment as { Variables: Record<string, unknown> }).Variables,
      );
      expect(vars, id).toEqual(
        expect.arrayContaining(['ORDERS_TABLE_NAME', 'STATUS_PUBLISHER_FUNCTION_NAME']),
      );
      expect(vars.includes('INVENTORY_TABLE_NAME'), id).toBe(/inventory/.test(id));
    }
  });
});
