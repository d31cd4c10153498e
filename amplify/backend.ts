import { defineBackend } from '@aws-amplify/backend';
import { Stack } from 'aws-cdk-lib';
import { auth } from './auth/resource';
import { applyCompliance } from './compliance';
import { restrictFieldToIam } from './data/iam-only-fields';
import { narrowOrdersDataSourceToGetItem, narrowPublisherToField } from './data/narrow-grants';
import { data, ORDERS_DATA_SOURCE } from './data/resource';
import { awaitWarehouse } from './functions/await-warehouse/resource';
import { chargePayment } from './functions/charge-payment/resource';
import { intakeWorker } from './functions/intake-worker/resource';
import { orderReconciler } from './functions/order-reconciler/resource';
import { refundPayment } from './functions/refund-payment/resource';
import { releaseInventory } from './functions/release-inventory/resource';
import { reserveInventory } from './functions/reserve-inventory/resource';
import { ENV } from './functions/shared/env';
import { shipOrder } from './functions/ship-order/resource';
import { statusPublisher } from './functions/status-publisher/resource';
import { intakeModeFrom } from './intake/intake-mode';
import { OrderIntake } from './intake/order-intake';
import { OperationsConsole } from './operations/operations-console';
import { OrderTables } from './workflow/order-tables';
import { OrderWorkflow } from './workflow/order-workflow';

const backend = defineBackend({
  auth,
  data,
  reserveInventory,
  chargePayment,
  awaitWarehouse,
  shipOrder,
  refundPayment,
  releaseInventory,
  statusPublisher,
  intakeWorker,
  orderReconciler,
});

const intakeMode = intakeModeFrom();

// Sign-in flows, stated explicitly because the local cloud's user pool client reads this list
// from the synthesized template: offline refuses exactly what the cloud refuses. SRP is what the
// Authenticator uses (the local Cognito implements it); no plain-password flow is allowed.
backend.auth.resources.cfnResources.cfnUserPoolClient.explicitAuthFlows = [
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
];
// No guest access: nothing signs in to the identity pool without a user pool token (the
// browser calls the API and AppSync with its ID token; the local cloud has no identity pool).
backend.auth.resources.cfnResources.cfnIdentityPool.allowUnauthenticatedIdentities = false;

// References flow one way: tables -> data (subscription lookup) -> workflow (publisher name).
const tables = new OrderTables(backend.createStack('order-tables'), 'OrderTables');

const ordersDataSource = backend.data.addDynamoDbDataSource(ORDERS_DATA_SOURCE, tables.orders);
narrowOrdersDataSourceToGetItem(ordersDataSource, tables.orders);
narrowPublisherToField(
  backend.data.resources.graphqlApi,
  backend.data.resources.graphqlApi.arn,
  'Mutation',
  'publishOrderUpdate',
);
restrictFieldToIam(
  backend.data.resources.cfnResources.cfnGraphqlSchema,
  'Mutation',
  'publishOrderUpdate',
);
// Gen 2 hands functions the endpoint through SSM at cold start; a plain variable also works
// when the handler runs outside the Amplify bundle (the local cloud).
backend.statusPublisher.addEnvironment(ENV.appsyncGraphqlUrl, backend.data.graphqlUrl);

const workflow = new OrderWorkflow(
  // The task functions' own nested stack (resourceGroupName 'workflow'), so the state machine
  // and the functions it invokes never reference each other across stacks.
  Stack.of(backend.reserveInventory.resources.lambda),
  'OrderWorkflow',
  {
    tables,
    statusPublisher: backend.statusPublisher.resources.lambda,
    functions: {
      'reserve-inventory': backend.reserveInventory,
      'charge-payment': backend.chargePayment,
      'await-warehouse': backend.awaitWarehouse,
      'ship-order': backend.shipOrder,
      'refund-payment': backend.refundPayment,
      'release-inventory': backend.releaseInventory,
    },
    // In queue mode only the intake worker starts executions; the app server sends messages.
    appServerStartsExecutions: intakeMode === 'direct',
  },
);

const intake = new OrderIntake(
  // The worker's own nested stack (resourceGroupName 'intake'): it references the tables, data
  // and workflow stacks, and none of them references it.
  Stack.of(backend.intakeWorker.resources.lambda),
  'OrderIntake',
  {
    orders: tables.orders,
    stateMachineArn: workflow.stateMachineArn,
    statusPublisher: backend.statusPublisher.resources.lambda,
    worker: backend.intakeWorker,
    reconciler: backend.orderReconciler,
  },
);

const operations = new OperationsConsole(
  // Beside the queues, in the intake stack: it already references the workflow stack (the
  // state machine's ARN), and nothing references it, so no reference runs back.
  Stack.of(intake),
  'Operations',
  {
    stateMachineArn: workflow.stateMachineArn,
    stateMachineName: workflow.stateMachineName,
    queue: intake.queue,
    deadLetterQueue: intake.deadLetterQueue,
    ordersTableArn: tables.orders.tableArn,
  },
);

backend.addOutput({
  custom: {
    ordersTableName: tables.orders.tableName,
    inventoryTableName: tables.inventory.tableName,
    idempotencyTableName: tables.idempotency.tableName,
    orderWorkflowArn: workflow.stateMachineArn,
    appServerPolicyArn: workflow.appServerPolicy.managedPolicyArn,
    orderIntakeMode: intakeMode,
    orderIntakeQueueUrl: intake.queue.queueUrl,
    intakeAppServerPolicyArn: intake.appServerPolicy.managedPolicyArn,
    orderIntakeQueueArn: intake.queue.queueArn,
    orderIntakeDeadLetterQueueUrl: intake.deadLetterQueue.queueUrl,
    orderIntakeDeadLetterQueueArn: intake.deadLetterQueue.queueArn,
    operationsAppServerPolicyArn: operations.appServerPolicy.managedPolicyArn,
    region: Stack.of(tables).region,
  },
});

applyCompliance(backend, workflow);
