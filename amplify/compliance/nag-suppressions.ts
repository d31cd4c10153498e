import { CfnElement, Names, Stack } from 'aws-cdk-lib';
import { Role } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { IConstruct } from 'constructs';
import { OperationsConsole } from '../operations/operations-console';
import type { OrderWorkflow } from '../workflow/order-workflow';
import type { CompliantBackend } from './compliant-backend';
import {
  amplifyBucket,
  CODEGEN_ASSETS_BUCKET,
  MODEL_INTROSPECTION_BUCKET,
} from './amplify-buckets';
import { acknowledge } from './cdk-nag';

/**
 * Every AwsSolutions finding this backend accepts, on the resource it concerns and with the
 * reason it is accepted. Everything else is fixed where the resource is defined; a finding
 * not acknowledged here fails tests/amplify/cdk-nag.test.ts.
 */
export function acknowledgeAcceptedFindings(
  backend: CompliantBackend,
  workflow: OrderWorkflow,
): void {
  acknowledgeUserPool(backend);
  acknowledgeDataStack(backend);
  acknowledgeFunctions(backend.stack.node.root);
  acknowledgeWorkflow(workflow);
  acknowledgeOperationsConsole(backend.stack.node.root, workflow);
}

function acknowledgeUserPool(backend: CompliantBackend): void {
  acknowledge(backend.auth.resources.cfnResources.cfnUserPool, [
    {
      id: 'AwsSolutions-COG2',
      // Staff (the Warehouse group) can fail and refund orders, so their accounts deserve a
      // second factor, but a Cognito user pool sets MFA for all users or none: there is no
      // per-group requirement. REQUIRED would force TOTP on every shopper at sign-up, and the
      // local Cognito implements no MFA at all (local-cloud/cognito/README.md), so offline
      // sign-in would stop matching the cloud's.
      reason:
        'MFA cannot be required per group and is not offered to shoppers; the local Cognito ' +
        'has no MFA. A production deployment should set MFA OPTIONAL with TOTP and require enrolment for ' +
        'Warehouse staff (a pre-token-generation trigger refusing tokens for staff without MFA), ' +
        'or sign staff in through a separate pool or IdP that requires MFA.',
    },
    {
      id: 'AwsSolutions-COG8',
      reason:
        'The Essentials feature plan is kept for cost (Plus is billed per monthly active user for ' +
        'every shopper). Threat protection (compromised-credential and adaptive-auth checks) ' +
        'needs Plus: a production deployment should weigh it, starting in audit-only mode.',
    },
  ]);
}

function acknowledgeDataStack(backend: CompliantBackend): void {
  const api = backend.data.resources.cfnResources.cfnGraphqlApi;
  acknowledge(api, [
    {
      id: 'AwsSolutions-ASC3',
      // The rule passes only with verbose content logged; see the logging option in
      // amplify/data/resource.ts.
      reason:
        'Request logging is on (field errors, one month of retention), but without verbose ' +
        'content on purpose: that would log every query with its variables, headers and ' +
        'resolver context, i.e. shoppers’ order details and request headers.',
    },
  ]);

  // The logging option's own resources: AppSync's role for writing the API's logs, and
  // aws-cdk-lib's LogRetention handler (a singleton Lambda) that creates the log group and
  // sets its retention.
  const dataStack = Stack.of(api);
  acknowledge(only(childrenWithIdPrefix(dataStack, Role, 'ApiLogsRole', true), 'ApiLogsRole'), [
    {
      id: 'AwsSolutions-IAM4',
      appliesTo: [
        'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSAppSyncPushToCloudWatchLogs',
      ],
      reason:
        'Attached by defineData’s logging option: AppSync’s documented policy for ' +
        'writing an API’s request logs (log group, streams, events, nothing else).',
    },
  ]);
  const logRetention = only(
    dataStack.node.children.filter((c) => /^LogRetention[0-9a-f]{32}$/.test(c.node.id)),
    'LogRetention handler in the data stack',
  );
  acknowledge(logRetention, [
    {
      id: 'AwsSolutions-IAM4',
      appliesTo: [
        'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ],
      reason:
        'aws-cdk-lib’s LogRetention handler (for the API’s log group) writes its own ' +
        'logs and creates the target log group through this policy’s logs:CreateLogGroup.',
    },
    {
      id: 'AwsSolutions-IAM5',
      appliesTo: ['Resource::*'],
      reason:
        'aws-cdk-lib’s LogRetention handler: only logs:PutRetentionPolicy and ' +
        'DeleteRetentionPolicy, on whichever log groups the stack asks it to manage.',
    },
  ]);

  for (const id of [CODEGEN_ASSETS_BUCKET, MODEL_INTROSPECTION_BUCKET]) {
    acknowledge(amplifyBucket(dataStack, id), [
      {
        id: 'AwsSolutions-S1',
        reason:
          'Amplify’s own bucket for generated client artifacts (model schema, codegen ' +
          'assets), written only at deployment and holding no shopper data; server access logs ' +
          'would need a further log bucket that records nothing of interest.',
      },
    ]);
  }

  // Amplify deploys the codegen assets with aws-cdk-lib's BucketDeployment (a singleton
  // Lambda in the data stack); its role and runtime are the library's.
  const deployment = only(
    childrenWithIdPrefix(dataStack, LambdaFunction, 'Custom::CDKBucketDeployment'),
    'BucketDeployment handler in the data stack',
  );
  acknowledge(deployment, [
    {
      id: 'AwsSolutions-L1',
      reason:
        'The BucketDeployment handler is aws-cdk-lib’s Python function, pinned by the ' +
        'library to the runtime its AWS CLI layer supports; it moves with aws-cdk-lib upgrades.',
    },
  ]);
  acknowledge(deployment.role ?? deployment, [
    {
      id: 'AwsSolutions-IAM5',
      appliesTo: [
        'Action::s3:GetObject*',
        'Action::s3:GetBucket*',
        'Action::s3:List*',
        'Action::s3:DeleteObject*',
        'Action::s3:Abort*',
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
        `Resource::<${logicalId(amplifyBucket(dataStack, CODEGEN_ASSETS_BUCKET))}.Arn>/*`,
        `Resource::<${logicalId(amplifyBucket(dataStack, MODEL_INTROSPECTION_BUCKET))}.Arn>/*`,
      ],
      reason:
        'BucketDeployment’s generated grants: read the staged asset objects in the CDK ' +
        'bootstrap bucket and replace the objects of Amplify’s two codegen buckets; the ' +
        'object wildcards are those buckets’ keys, the action wildcards S3’s grant sets.',
    },
  ]);
}

/**
 * Every Lambda role (Amplify's functions, BucketDeployment) carries AWSLambdaBasicExecutionRole,
 * and scheduled functions get a scheduler role that may invoke the function's versions.
 */
function acknowledgeFunctions(root: IConstruct): void {
  const functions = root.node.findAll().filter((c) => c instanceof LambdaFunction);
  for (const fn of functions) {
    if (fn.role) {
      acknowledge(fn.role, [
        {
          id: 'AwsSolutions-IAM4',
          appliesTo: [
            'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          ],
          reason:
            'Attached by Amplify/CDK to every function role: it grants only logs:CreateLogGroup, ' +
            'CreateLogStream and PutLogEvents so the function can write its own logs. An inline ' +
            'copy would need the same log-group and log-stream wildcards.',
        },
      ]);
    }

    const schedules = fn.node.children.filter((c) => c instanceof Schedule);
    if (schedules.length === 0) continue;
    const stack = Stack.of(fn);
    for (const role of childrenWithIdPrefix(stack, Role, 'SchedulerRoleForTarget-')) {
      acknowledge(role, [
        {
          id: 'AwsSolutions-IAM5',
          appliesTo: [`Resource::<${logicalId(fn)}.Arn>:*`],
          reason:
            'EventBridge Scheduler’s role for a defineFunction schedule may invoke that one ' +
            'function; the `:*` suffix covers its versions and aliases, nothing else.',
        },
      ]);
    }
  }
}

function acknowledgeWorkflow(workflow: OrderWorkflow): void {
  const role = workflow.node.findChild('Role');
  acknowledge(role.node.findChild('DefaultPolicy'), [
    {
      id: 'AwsSolutions-IAM5',
      appliesTo: ['Resource::*'],
      reason:
        'Only X-Ray trace writes and CloudWatch Logs vended-log delivery APIs, which support no ' +
        'resource-level permissions: AWS documents "*" for both (see order-workflow.ts).',
    },
  ]);

  const stateMachine = workflow.node.findChild('StateMachine');
  acknowledge(stateMachine, [
    {
      id: 'AwsSolutions-SF1',
      reason:
        'Logs ERROR without execution data on purpose (amplify/workflow/order-workflow.ts): ALL ' +
        'would copy every state input and output, shoppers’ addresses included, into ' +
        'CloudWatch. Failures stay visible; X-Ray traces every execution.',
    },
  ]);

  acknowledge(workflow.appServerPolicy, [
    {
      id: 'AwsSolutions-IAM5',
      appliesTo: [
        `Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${logicalId(stateMachine)}.Name>:*`,
      ],
      reason:
        'Execution ARNs end in the execution name (the order id), unknown at deployment: the ' +
        'grant covers DescribeExecution and GetExecutionHistory of this state machine only.',
    },
  ]);
}

/**
 * The operations console's policy lives in the intake stack, so the state machine's name reaches
 * it as a nested-stack parameter: the finding names that parameter, not `<Logical.Name>`.
 */
function acknowledgeOperationsConsole(root: IConstruct, workflow: OrderWorkflow): void {
  const stateMachine = workflow.node.findChild('StateMachine');
  for (const operations of root.node.findAll().filter((c) => c instanceof OperationsConsole)) {
    const name =
      Stack.of(operations) === Stack.of(stateMachine)
        ? `<${logicalId(stateMachine)}.Name>`
        : nestedStackReference(stateMachine, 'Name');
    acknowledge(operations.appServerPolicy, [
      {
        id: 'AwsSolutions-IAM5',
        appliesTo: [
          `Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}:*`,
        ],
        reason:
          'Execution ARNs end in the execution name (the order id), unknown at deployment: the ' +
          'grant covers describing, reading the history of, redriving and stopping executions ' +
          'of the order state machine only.',
      },
    ]);
  }
}

/**
 * How cdk-nag prints an attribute another nested stack hands to this one. CDK passes it as a
 * parameter `referenceto<producer's nested stack resource>Outputs<target><attribute>` (unique
 * ids, as aws-cdk-lib's core/lib/private/refs names them); if a CDK upgrade renames these, the
 * finding comes back in tests/amplify/cdk-nag.test.ts rather than a wider acknowledgement.
 */
function nestedStackReference(target: IConstruct, attribute: string): string {
  const producer = Stack.of(target).nestedStackResource;
  if (!producer) throw new Error(`compliance: ${target.node.path} is not in a nested stack`);
  return `<referenceto${Names.nodeUniqueId(producer.node)}Outputs${Names.nodeUniqueId(target.node)}${attribute}>`;
}

/** The logical id cdk-nag prints for a resource (`<LogicalId.Attr>` in its findings). */
function logicalId(construct: IConstruct): string {
  const cfn = CfnElement.isCfnElement(construct)
    ? construct
    : (construct.node.defaultChild as CfnElement | undefined);
  if (!cfn) throw new Error(`compliance: ${construct.node.path} has no CloudFormation resource`);
  return Stack.of(cfn).resolve(cfn.logicalId) as string;
}

function childrenWithIdPrefix<T extends IConstruct>(
  scope: IConstruct,
  type: abstract new (...args: never[]) => T,
  prefix: string,
  deep = false,
): T[] {
  const candidates = deep ? scope.node.findAll() : scope.node.children;
  return candidates.filter((c): c is T => c instanceof type && c.node.id.startsWith(prefix));
}

function only<T>(items: T[], what: string): T {
  if (items.length !== 1 || !items[0]) {
    throw new Error(`compliance: expected one ${what}, found ${items.length}`);
  }
  return items[0];
}
