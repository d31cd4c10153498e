import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CLIENT_CONFIG_VERSION } from '@aws-amplify/client-config';
import { parseAmplifyConfig } from 'aws-amplify/utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  IDEMPOTENCY_TABLE,
  INVENTORY_TABLE,
  ORDERS_TABLE,
} from '../../../amplify/functions/shared/table-schema';
import { userPoolClientIdFor, userPoolIdFor } from '../../../local-cloud/cognito';
import {
  generateLocalOutputs,
  readAssembly,
  type BackendModel,
  type LocalOutputs,
} from '../../../local-cloud/backend';
import { synthesizeBackend, type SynthesizedBackend } from '../../amplify/synthesized-backend';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BASE_URL = 'http://127.0.0.1:45661';
const REGION = 'eu-west-1';
const POOL_ID = userPoolIdFor(REGION, 'orders-test');
const CLIENT_ID = userPoolClientIdFor(POOL_ID, 'web');

let synth: SynthesizedBackend;
let model: BackendModel;
let outputs: LocalOutputs;

beforeAll(() => {
  synth = synthesizeBackend();
  model = readAssembly(synth.dir, {
    baseUrl: BASE_URL,
    region: REGION,
    userPoolId: POOL_ID,
    userPoolClientId: CLIENT_ID,
  });
});
afterAll(() => synth?.dispose());

describe('readAssembly', () => {
  test('three tables with the deployed keys, indexes and TTL', () => {
    const byName = Object.fromEntries(model.tables.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(['Idempotency', 'Inventory', 'Orders']);

    const orders = byName.Orders!.createTable;
    expect(orders.BillingMode).toBe('PAY_PER_REQUEST');
    expect(orders.KeySchema).toEqual([
      { AttributeName: ORDERS_TABLE.partitionKey, KeyType: 'HASH' },
    ]);
    const indexes = Object.fromEntries(
      (orders.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.KeySchema]),
    );
    expect(indexes).toEqual({
      [ORDERS_TABLE.byOwnerIndex.name]: [
        { AttributeName: ORDERS_TABLE.byOwnerIndex.partitionKey, KeyType: 'HASH' },
        { AttributeName: ORDERS_TABLE.byOwnerIndex.sortKey, KeyType: 'RANGE' },
      ],
      [ORDERS_TABLE.byWarehouseStatusIndex.name]: [
        { AttributeName: ORDERS_TABLE.byWarehouseStatusIndex.partitionKey, KeyType: 'HASH' },
        { AttributeName: ORDERS_TABLE.byWarehouseStatusIndex.sortKey, KeyType: 'RANGE' },
      ],
      [ORDERS_TABLE.byIntakePendingIndex.name]: [
        { AttributeName: ORDERS_TABLE.byIntakePendingIndex.partitionKey, KeyType: 'HASH' },
        { AttributeName: ORDERS_TABLE.byIntakePendingIndex.sortKey, KeyType: 'RANGE' },
      ],
    });
    expect(
      orders.GlobalSecondaryIndexes?.find(
        (i) => i.IndexName === ORDERS_TABLE.byIntakePendingIndex.name,
      )?.Projection,
    ).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['intakeMessage'] });
    // Every key attribute is defined, and nothing else (CreateTable rejects extras).
    const keyAttributes = new Set(
      [orders.KeySchema, ...(orders.GlobalSecondaryIndexes ?? []).map((i) => i.KeySchema)]
        .flat()
        .map((k) => k!.AttributeName),
    );
    expect(new Set(orders.AttributeDefinitions?.map((a) => a.AttributeName))).toEqual(
      keyAttributes,
    );

    expect(byName.Inventory!.createTable.KeySchema).toEqual([
      { AttributeName: INVENTORY_TABLE.partitionKey, KeyType: 'HASH' },
    ]);
    expect(byName.Idempotency!.timeToLiveAttribute).toBe(IDEMPOTENCY_TABLE.ttlAttribute);
    expect(byName.Orders!.timeToLiveAttribute).toBeUndefined();
  });

  test('user pool: email sign-in, the staff groups and the client flows as deployed', () => {
    const pool = model.userPool!;
    expect(pool.id).toBe(POOL_ID);
    expect(pool.usernameAttributes).toEqual(['email']);
    expect(pool.passwordPolicy).toEqual({
      minLength: 8,
      requireUppercase: true,
      requireLowercase: true,
      requireNumbers: true,
      requireSymbols: true,
    });
    expect(pool.groups.map((g) => g.name)).toEqual(['Warehouse', 'Operations']);
    expect(pool.client.id).toBe(CLIENT_ID);
    expect(pool.client.explicitAuthFlows.sort()).toEqual(
      ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'].sort(),
    );
  });

  test('AppSync: the deployed schema restricts publishOrderUpdate to IAM', () => {
    const api = model.appSync!;
    expect(api.graphqlUrl).toBe(`${BASE_URL}/graphql`);
    expect(api.authenticationType).toBe('AMAZON_COGNITO_USER_POOLS');
    expect(api.additionalAuthenticationTypes).toEqual(['AWS_IAM']);
    expect(api.schema).toMatch(/^\s*publishOrderUpdate\(.*\): OrderUpdate @aws_iam\s*$/m);
  });

  test('AppSync: two resolvers whose code files are the very resolver sources', () => {
    const api = model.appSync!;
    const resolvers = Object.fromEntries(
      api.resolvers.map((r) => [`${r.typeName}.${r.fieldName}`, r.handler]),
    );
    expect(Object.keys(resolvers).sort()).toEqual([
      'Mutation.publishOrderUpdate',
      'Subscription.onOrderUpdate',
    ]);
    const source = (file: string) =>
      readFileSync(path.join(root, 'amplify/data/resolvers', file), 'utf8');
    const publish = resolvers['Mutation.publishOrderUpdate']!;
    const subscribe = resolvers['Subscription.onOrderUpdate']!;
    expect(readFileSync(publish.codeFile!, 'utf8')).toBe(source('publish-order-update.js'));
    expect(readFileSync(subscribe.codeFile!, 'utf8')).toBe(source('on-order-update.js'));
    expect(publish.runtime).toEqual({ name: 'APPSYNC_JS', runtimeVersion: '1.0.0' });

    const dataSources = Object.fromEntries(api.dataSources.map((d) => [d.name, d]));
    expect(dataSources[publish.dataSourceName!]?.type).toBe('NONE');
    expect(dataSources[subscribe.dataSourceName!]).toMatchObject({
      type: 'AMAZON_DYNAMODB',
      tableName: 'Orders',
    });
  });

  test('nine functions by kebab name, environment resolved to local names', () => {
    const byName = Object.fromEntries(model.functions.map((f) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual([
      'await-warehouse',
      'charge-payment',
      'intake-worker',
      'order-reconciler',
      'refund-payment',
      'release-inventory',
      'reserve-inventory',
      'ship-order',
      'status-publisher',
    ]);
    expect(byName['reserve-inventory']!.environment).toMatchObject({
      ORDERS_TABLE_NAME: 'Orders',
      INVENTORY_TABLE_NAME: 'Inventory',
      STATUS_PUBLISHER_FUNCTION_NAME: 'status-publisher',
    });
    expect(byName['ship-order']!.environment.INVENTORY_TABLE_NAME).toBeUndefined();
    expect(byName['status-publisher']!.environment.APPSYNC_GRAPHQL_URL).toBe(`${BASE_URL}/graphql`);
    expect(byName['intake-worker']!.environment).toMatchObject({
      ORDERS_TABLE_NAME: 'Orders',
      ORDER_WORKFLOW_ARN: `arn:aws:states:${REGION}:000000000000:stateMachine:OrderWorkflow`,
      STATUS_PUBLISHER_FUNCTION_NAME: 'status-publisher',
    });
    expect(byName['order-reconciler']!.environment.ORDER_INTAKE_QUEUE_URL).toBe(
      `${BASE_URL}/000000000000/OrderIntakeQueue`,
    );
    for (const fn of model.functions) expect(fn.unresolvedEnvironment).toEqual({});
  });

  test('the intake queue with its dead-letter queue, its event source mapping and schedule', () => {
    const queues = Object.fromEntries((model.queues ?? []).map((q) => [q.name, q]));
    expect(Object.keys(queues).sort()).toEqual(['OrderIntakeDeadLetters', 'OrderIntakeQueue']);
    const dlqArn = `arn:aws:sqs:${REGION}:000000000000:OrderIntakeDeadLetters`;
    expect(queues.OrderIntakeDeadLetters!.arn).toBe(dlqArn);
    expect(queues.OrderIntakeQueue).toMatchObject({
      url: `${BASE_URL}/000000000000/OrderIntakeQueue`,
      attributes: {
        VisibilityTimeout: '180',
        MessageRetentionPeriod: String(4 * 24 * 3600),
        SqsManagedSseEnabled: 'true',
      },
    });
    expect(JSON.parse(queues.OrderIntakeQueue!.attributes.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: dlqArn,
      maxReceiveCount: 5,
    });
    expect(model.eventSourceMappings).toEqual([
      {
        functionName: 'intake-worker',
        eventSourceArn: queues.OrderIntakeQueue!.arn,
        batchSize: 10,
        maximumBatchingWindowSeconds: 0,
        maximumConcurrency: 5,
        functionResponseTypes: ['ReportBatchItemFailures'],
        enabled: true,
      },
    ]);
    expect(model.schedules).toEqual([
      expect.objectContaining({ functionName: 'order-reconciler', enabled: true }),
    ]);
  });

  test('the state machine definition is the ASL file, substitutions point at local functions', () => {
    expect(model.stateMachines).toHaveLength(1);
    const machine = model.stateMachines[0]!;
    expect(machine.arn).toBe(`arn:aws:states:${REGION}:000000000000:stateMachine:OrderWorkflow`);
    expect(machine.definitionString).toBe(
      readFileSync(path.join(root, 'amplify/workflow/order-workflow.asl.json'), 'utf8'),
    );
    expect(machine.substitutions.ReserveInventoryFunctionArn).toBe(
      `arn:aws:lambda:${REGION}:000000000000:function:reserve-inventory`,
    );
    expect(machine.substitutionKeys).toHaveLength(6);
  });
});

describe('generateLocalOutputs', () => {
  beforeAll(async () => {
    outputs = await generateLocalOutputs(synth.dir, {
      baseUrl: BASE_URL,
      region: REGION,
      userPoolId: POOL_ID,
      userPoolClientId: CLIENT_ID,
    });
  });

  test('is what Amplify generates, pointed at the local cloud', () => {
    expect(outputs.version).toBe(DEFAULT_CLIENT_CONFIG_VERSION);
    expect(outputs.auth).toMatchObject({
      aws_region: REGION,
      user_pool_id: POOL_ID,
      user_pool_client_id: CLIENT_ID,
      username_attributes: ['email'],
      groups: [{ Warehouse: { precedence: 0 } }, { Operations: { precedence: 1 } }],
    });
    // No local identity pool: the client must not try cognito-identity.amazonaws.com.
    expect(outputs.auth).not.toHaveProperty('identity_pool_id');
    expect(outputs.data).toMatchObject({
      url: `${BASE_URL}/graphql`,
      aws_region: REGION,
      default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
      authorization_types: ['AWS_IAM'],
    });
    expect(outputs.data?.model_introspection).toHaveProperty('mutations.publishOrderUpdate');
    expect(outputs.custom).toEqual({
      ordersTableName: 'Orders',
      inventoryTableName: 'Inventory',
      idempotencyTableName: 'Idempotency',
      orderWorkflowArn: `arn:aws:states:${REGION}:000000000000:stateMachine:OrderWorkflow`,
      appServerPolicyArn: 'arn:aws:iam::000000000000:policy/OrderWorkflowAppServerPolicy',
      orderIntakeMode: 'queue',
      orderIntakeQueueUrl: `${BASE_URL}/000000000000/OrderIntakeQueue`,
      intakeAppServerPolicyArn: 'arn:aws:iam::000000000000:policy/OrderIntakeAppServerPolicy',
      orderIntakeQueueArn: `arn:aws:sqs:${REGION}:000000000000:OrderIntakeQueue`,
      orderIntakeDeadLetterQueueUrl: `${BASE_URL}/000000000000/OrderIntakeDeadLetters`,
      orderIntakeDeadLetterQueueArn: `arn:aws:sqs:${REGION}:000000000000:OrderIntakeDeadLetters`,
      operationsAppServerPolicyArn: 'arn:aws:iam::000000000000:policy/OperationsAppServerPolicy',
      region: REGION,
      userPoolEndpoint: BASE_URL,
    });
  });

  test('aws-amplify accepts it', () => {
    const config = parseAmplifyConfig(JSON.parse(JSON.stringify(outputs)));
    expect(config.Auth?.Cognito).toMatchObject({
      userPoolId: POOL_ID,
      userPoolClientId: CLIENT_ID,
    });
    expect(config.API?.GraphQL).toMatchObject({
      endpoint: `${BASE_URL}/graphql`,
      defaultAuthMode: 'userPool',
    });
  });
});
