import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  Effect,
  ManagedPolicy,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../functions/shared/env';
import { ORDERS_TABLE } from '../functions/shared/table-schema';
import { functionArnPlaceholder, type WorkflowTaskFunction } from './placeholders';

/** The one ASL file both AWS and the local engine run (workflow contract §1). */
export const ORDER_WORKFLOW_ASL_PATH = fileURLToPath(
  new URL('./order-workflow.asl.json', import.meta.url),
);

/** Structurally what `backend.<fn>` is in Amplify Gen 2. */
export interface WorkflowLambda {
  resources: { lambda: IFunction };
  addEnvironment(name: string, value: string): void;
}

export interface OrderWorkflowTables {
  orders: ITable;
  inventory: ITable;
  idempotency: ITable;
}

export interface OrderWorkflowProps {
  tables: OrderWorkflowTables;
  functions: Record<WorkflowTaskFunction, WorkflowLambda>;
  /** Invoked synchronously by every task to publish status (lives in the data stack). */
  statusPublisher: IFunction;
  /** Defaults to the file next to this construct. */
  definitionPath?: string;
  /**
   * Whether the storefront's server starts executions itself (direct intake). In queue mode
   * the intake worker does, and the server's policy leaves StartExecution out.
   */
  appServerStartsExecutions?: boolean;
}

const TABLE_ITEM_READ_WRITE = ['dynamodb:GetItem', 'dynamodb:UpdateItem'];

/** Per task: which tables it touches beyond Orders (which all of them update for status). */
const NEEDS_INVENTORY: ReadonlySet<WorkflowTaskFunction> = new Set([
  'reserve-inventory',
  'release-inventory',
]);

/**
 * The STANDARD state machine for one order, its role, logs and tracing, the task functions'
 * configuration and grants, and a managed policy for the storefront's server side.
 */
export class OrderWorkflow extends Construct {
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  /** Attach to whatever runs the Next.js server (see the comment at its creation). */
  readonly appServerPolicy: ManagedPolicy;
  readonly definition: string;

  constructor(scope: Construct, id: string, props: OrderWorkflowProps) {
    super(scope, id);
    const { tables, functions } = props;
    this.definition = readFileSync(props.definitionPath ?? ORDER_WORKFLOW_ASL_PATH, 'utf8');

    this.configureTaskFunctions(props);

    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: 'Order workflow: invokes its own task functions only',
    });
    const taskLambdas = Object.values(functions).map((fn) => fn.resources.lambda);
    role.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: taskLambdas.map((fn) => fn.functionArn),
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        // X-Ray has no resource-level permissions for writing traces: AWS requires "*".
        actions: [
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
        ],
        resources: ['*'],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        // CloudWatch Logs *delivery* APIs (vended logs) do not support resource-level
        // permissions: AWS documents "*" for Step Functions logging.
        actions: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        resources: ['*'],
      }),
    );

    const stateMachine = new CfnStateMachine(this, 'StateMachine', {
      stateMachineType: 'STANDARD',
      roleArn: role.roleArn,
      // Inline string, not a parsed object: the deployed definition stays byte-identical to
      // the file the local engine runs.
      definitionString: this.definition,
      definitionSubstitutions: Object.fromEntries(
        (Object.entries(functions) as [WorkflowTaskFunction, WorkflowLambda][]).map(
          ([name, fn]) => [functionArnPlaceholder(name), fn.resources.lambda.functionArn],
        ),
      ),
      loggingConfiguration: {
        // ERROR without execution data: failures are visible without copying shoppers'
        // addresses into logs.
        level: 'ERROR',
        includeExecutionData: false,
        destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: logGroup.logGroupArn } }],
      },
      tracingConfiguration: { enabled: true },
    });
    stateMachine.node.addDependency(role);
    this.stateMachineArn = stateMachine.attrArn;
    this.stateMachineName = stateMachine.attrName;

    this.appServerPolicy = this.createAppServerPolicy(
      tables,
      props.appServerStartsExecutions ?? true,
    );
  }

  private configureTaskFunctions({ tables, functions, statusPublisher }: OrderWorkflowProps): void {
    for (const [name, fn] of Object.entries(functions) as [
      WorkflowTaskFunction,
      WorkflowLambda,
    ][]) {
      const lambda = fn.resources.lambda;
      fn.addEnvironment(ENV.ordersTableName, tables.orders.tableName);
      fn.addEnvironment(ENV.statusPublisherFunctionName, statusPublisher.functionName);
      lambda.addToRolePolicy(
        new PolicyStatement({
          actions: TABLE_ITEM_READ_WRITE,
          resources: [tables.orders.tableArn],
        }),
      );
      lambda.addToRolePolicy(
        new PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [statusPublisher.functionArn],
        }),
      );
      if (NEEDS_INVENTORY.has(name)) {
        fn.addEnvironment(ENV.inventoryTableName, tables.inventory.tableName);
        lambda.addToRolePolicy(
          new PolicyStatement({
            // Reserve and release only adjust stock counters inside transactions.
            actions: ['dynamodb:UpdateItem'],
            resources: [tables.inventory.tableArn],
          }),
        );
      }
    }
  }

  /**
   * What the storefront's server (route handlers) may do: run and observe this state machine's
   * executions, answer its task tokens, and read/write the three tables and the two Orders
   * indexes. In the cloud, attach it to the Amplify Hosting SSR compute role (Amplify console:
   * App settings > IAM roles > Compute role) or to the task/function role of wherever the
   * Next.js server runs; its ARN is in amplify_outputs.json as `custom.appServerPolicyArn`. In
   * queue mode attach `custom.intakeAppServerPolicyArn` too: orders reach the workflow through
   * the intake queue, so this policy then leaves StartExecution out.
   */
  private createAppServerPolicy(
    tables: OrderWorkflowTables,
    startsExecutions: boolean,
  ): ManagedPolicy {
    const executionArns = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const itemActions = [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:ConditionCheckItem',
    ];
    return new ManagedPolicy(this, 'AppServerPolicy', {
      description: 'Storefront server: start/observe order executions, answer task tokens, tables',
      statements: [
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: [
            ...(startsExecutions ? ['states:StartExecution'] : []),
            'states:SendTaskSuccess',
            'states:SendTaskFailure',
            'states:SendTaskHeartbeat',
          ],
          resources: [this.stateMachineArn],
        }),
        new PolicyStatement({
          effect: Effect.ALLOW,
          // Execution ARNs embed the execution name, so they are scoped by this machine's prefix.
          actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
          resources: [executionArns],
        }),
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: itemActions,
          resources: [
            tables.orders.tableArn,
            `${tables.orders.tableArn}/index/${ORDERS_TABLE.byOwnerIndex.name}`,
            `${tables.orders.tableArn}/index/${ORDERS_TABLE.byWarehouseStatusIndex.name}`,
            tables.inventory.tableArn,
            tables.idempotency.tableArn,
          ],
        }),
      ],
    });
  }
}
