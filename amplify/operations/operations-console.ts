import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ORDERS_TABLE } from '../functions/shared/table-schema';

export interface OperationsConsoleProps {
  /** The order state machine (`OrderWorkflow.stateMachineArn`). */
  stateMachineArn: string;
  /** Its name (`OrderWorkflow.stateMachineName`): execution ARNs embed it. */
  stateMachineName: string;
  /** The intake queue: its depth, and where redriven dead letters go back to. */
  queue: IQueue;
  /** The intake queue's dead-letter queue: listed and redriven from the console. */
  deadLetterQueue: IQueue;
  /** The Orders table's ARN: the overview reads the index of orders not yet started. */
  ordersTableArn: string;
}

/** One evaluation period for both alarms: short enough to page within minutes. */
const ALARM_PERIOD = Duration.minutes(5);

/**
 * The backend side of the operations console (`/ops`, for the Cognito group `Operations`):
 * a managed policy with exactly the calls the console's server routes make, and two alarms on
 * what the console is there to repair (failed executions, dead letters).
 *
 * What attaches the policy: nothing in this backend. Attach it, beside the storefront's other
 * app-server policies, to the role whatever runs the Next.js server uses (Amplify Hosting's SSR
 * compute role: Amplify console > App settings > IAM roles > Compute role; or the task/function
 * role elsewhere). Its ARN is in amplify_outputs.json as `custom.operationsAppServerPolicyArn`.
 * The routes themselves refuse callers outside the `Operations` group; the policy bounds what
 * the server can do on their behalf.
 *
 * The alarms have no actions, so they only change state (visible in the CloudWatch console). To
 * be told, create an SNS topic (`new Topic(...)` from aws-cdk-lib/aws-sns) with a subscription
 * and add `alarm.addAlarmAction(new SnsAction(topic))` (aws-cdk-lib/aws-cloudwatch-actions) to
 * each; an `addOkAction` as well reports the recovery.
 */
export class OperationsConsole extends Construct {
  /** Attach to the Next.js server's role (see above). */
  readonly appServerPolicy: ManagedPolicy;
  /** `AWS/States` `ExecutionsFailed` of the order state machine, ≥ 1 in five minutes. */
  readonly failedExecutionsAlarm: Alarm;
  /** The dead-letter queue has at least one visible message. */
  readonly deadLettersAlarm: Alarm;

  constructor(scope: Construct, id: string, props: OperationsConsoleProps) {
    super(scope, id);
    this.appServerPolicy = this.createAppServerPolicy(props);
    this.failedExecutionsAlarm = this.createFailedExecutionsAlarm(props);
    this.deadLettersAlarm = this.createDeadLettersAlarm(props);
  }

  private createAppServerPolicy({
    stateMachineArn,
    stateMachineName,
    queue,
    deadLetterQueue,
    ordersTableArn,
  }: OperationsConsoleProps): ManagedPolicy {
    const executionArns = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    return new ManagedPolicy(this, 'AppServerPolicy', {
      description:
        'Operations console server: observe, redrive and stop order executions; queue depths; ' +
        'list and redrive dead letters',
      statements: [
        new PolicyStatement({
          sid: 'ObserveStateMachine',
          effect: Effect.ALLOW,
          // The executions list and the machine's definition (to draw the failed state):
          // both are authorized on the state machine's own ARN.
          actions: ['states:ListExecutions', 'states:DescribeStateMachine'],
          resources: [stateMachineArn],
        }),
        new PolicyStatement({
          sid: 'OperateExecutions',
          effect: Effect.ALLOW,
          // One execution's status, its event history, restarting a failed one from the state
          // that failed (RedriveExecution), and stopping a stuck one. Execution ARNs end in the
          // execution name (the order id), so they are scoped by this machine's prefix.
          actions: [
            'states:DescribeExecution',
            'states:GetExecutionHistory',
            'states:RedriveExecution',
            'states:StopExecution',
          ],
          resources: [executionArns],
        }),
        new PolicyStatement({
          sid: 'ObserveQueues',
          effect: Effect.ALLOW,
          // Depth and age of both queues (ApproximateNumberOfMessages*, RedrivePolicy). On the
          // dead-letter queue it is also one of the permissions a redrive requires (below).
          actions: ['sqs:GetQueueAttributes'],
          resources: [queue.queueArn, deadLetterQueue.queueArn],
        }),
        new PolicyStatement({
          sid: 'ListAndRedriveDeadLetters',
          effect: Effect.ALLOW,
          // ReceiveMessage lists dead letters (peeked with VisibilityTimeout 0, so a look never
          // hides them from a redrive). The message-move-task actions redrive them back to the
          // intake queue and watch or cancel the move. SQS requires ReceiveMessage,
          // DeleteMessage and GetQueueAttributes on the source (this dead-letter queue), beside
          // the task action itself, and SendMessage on the destination: the SQS developer
          // guide's dead-letter queue redrive pages (configuring a redrive, and the "Updated
          // permissions" section of the CloudTrail and permission requirements page):
          // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html
          // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues-cloudtrail.html
          // The server never calls DeleteMessage itself: SQS checks it for the move.
          actions: [
            'sqs:ReceiveMessage',
            'sqs:DeleteMessage',
            'sqs:StartMessageMoveTask',
            'sqs:ListMessageMoveTasks',
            'sqs:CancelMessageMoveTask',
          ],
          resources: [deadLetterQueue.queueArn],
        }),
        new PolicyStatement({
          sid: 'RedriveDestination',
          effect: Effect.ALLOW,
          // The redrive's destination permission: moved messages are sent to the intake queue.
          actions: ['sqs:SendMessage'],
          resources: [queue.queueArn],
        }),
        new PolicyStatement({
          sid: 'OldestQueuedOrder',
          effect: Effect.ALLOW,
          // SQS has no API for its oldest message's age (a CloudWatch metric only), so the
          // overview reads it from the sparse index of orders not yet started. The console's
          // other table reads and its audit note use the storefront policy's table grants.
          actions: ['dynamodb:Query'],
          resources: [`${ordersTableArn}/index/${ORDERS_TABLE.byIntakePendingIndex.name}`],
        }),
      ],
    });
  }

  private createFailedExecutionsAlarm({ stateMachineArn }: OperationsConsoleProps): Alarm {
    // Step Functions publishes ExecutionsFailed per state machine only while executions fail:
    // no data is the healthy case, hence notBreaching.
    const failed = new Metric({
      namespace: 'AWS/States',
      metricName: 'ExecutionsFailed',
      dimensionsMap: { StateMachineArn: stateMachineArn },
      statistic: Stats.SUM,
      period: ALARM_PERIOD,
    });
    return new Alarm(this, 'FailedExecutionsAlarm', {
      alarmDescription:
        'An order execution failed in the last five minutes: see /ops (executions) to redrive it',
      metric: failed,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  private createDeadLettersAlarm({ deadLetterQueue }: OperationsConsoleProps): Alarm {
    // SQS stops publishing a queue's metrics after hours without activity; an idle dead-letter
    // queue is an empty one, hence notBreaching.
    const visible = deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      statistic: Stats.MAXIMUM,
      period: ALARM_PERIOD,
    });
    return new Alarm(this, 'DeadLettersAlarm', {
      alarmDescription:
        'Orders are waiting in the intake dead-letter queue: see /ops (dead letters) to redrive',
      metric: visible,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
