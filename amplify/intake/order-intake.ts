import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../functions/shared/env';
import { INTAKE_WORKER_TIMEOUT_SECONDS } from '../functions/shared/resource-defaults';
import { ORDERS_TABLE } from '../functions/shared/table-schema';

/** Structurally what `backend.<fn>` is in Amplify Gen 2. */
interface IntakeLambda {
  resources: { lambda: IFunction };
  addEnvironment(name: string, value: string): void;
}

export interface OrderIntakeProps {
  orders: ITable;
  stateMachineArn: string;
  /** Records the Queued step's updates, as every workflow task does. */
  statusPublisher: IFunction;
  worker: IntakeLambda;
  reconciler: IntakeLambda;
  /**
   * Most worker invocations at once (`ScalingConfig.MaximumConcurrency`, 2–1000): the knob that
   * protects StartExecution and the task functions from a burst. Size it so that
   * `maximumConcurrency × batchSize` concurrent starts stay under the account's StartExecution
   * token bucket (Standard: a refill of a few hundred per second, per region; see the Step
   * Functions quotas page), and the executions they start keep the task functions within the
   * account's Lambda concurrency (1,000 by default, shared by every function in the region).
   */
  maximumConcurrency?: number;
}

const MAX_RECEIVE_COUNT = 5;

/**
 * The queue as the scaling layer in front of the workflow (figure 25 of the pattern): the API
 * only writes the order and sends a message, so a burst is absorbed here and the workflow is
 * started as fast as `maximumConcurrency` allows. A worker Lambda on an SQS event source
 * mapping, not EventBridge Pipes: a pipe cannot set the execution's name (our idempotency key is
 * the order id) and hands a whole batch to one execution.
 */
export class OrderIntake extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** `sqs:SendMessage` to the intake queue and nothing else: attach it to the app server. */
  readonly appServerPolicy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: OrderIntakeProps) {
    super(scope, id);
    const secure = {
      // Encrypted at rest with SQS-managed keys (no KMS key to administer or pay for), and a
      // queue policy that refuses any request not made over TLS.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
    };
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      ...secure,
      // The longest SQS allows: failed orders wait for an operator to look and redrive.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      ...secure,
      retentionPeriod: Duration.days(4),
      // AWS's advice for an event source mapping: at least six times the function's timeout, so
      // a message is not handed out again while a slow, retried invocation still works on it.
      visibilityTimeout: Duration.seconds(6 * INTAKE_WORKER_TIMEOUT_SECONDS),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    this.configureWorker(props);
    this.configureReconciler(props);
    this.appServerPolicy = new ManagedPolicy(this, 'AppServerPolicy', {
      description: 'Storefront server: send accepted orders to the intake queue',
      statements: [
        new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
      ],
    });
  }

  private configureWorker({
    worker,
    orders,
    stateMachineArn,
    statusPublisher,
    maximumConcurrency,
  }: OrderIntakeProps): void {
    const lambda = worker.resources.lambda;
    worker.addEnvironment(ENV.ordersTableName, orders.tableName);
    worker.addEnvironment(ENV.orderWorkflowArn, stateMachineArn);
    worker.addEnvironment(ENV.statusPublisherFunctionName, statusPublisher.functionName);
    lambda.addEventSource(
      new SqsEventSource(this.queue, {
        // Ten orders per invocation, started concurrently inside it; no batching window, so an
        // order arriving at an idle queue is started at once instead of waiting for company.
        batchSize: 10,
        maxConcurrency: maximumConcurrency ?? 5,
        reportBatchItemFailures: true,
      }),
    );
    lambda.addToRolePolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }),
    );
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [orders.tableArn],
      }),
    );
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [statusPublisher.functionArn],
      }),
    );
  }

  private configureReconciler({ reconciler, orders }: OrderIntakeProps): void {
    const lambda = reconciler.resources.lambda;
    reconciler.addEnvironment(ENV.ordersTableName, orders.tableName);
    reconciler.addEnvironment(ENV.intakeQueueUrl, this.queue.queueUrl);
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${orders.tableArn}/index/${ORDERS_TABLE.byIntakePendingIndex.name}`],
      }),
    );
    lambda.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [orders.tableArn] }),
    );
    lambda.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
  }
}
