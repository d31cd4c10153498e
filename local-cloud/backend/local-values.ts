import { createHash } from 'node:crypto';
import { queueArnFor, queueUrlFor } from '../sqs/naming';
import { ownerId } from './assembly-files';
import type { ResourceReference, ResourceResolver } from './intrinsics';

/** Where the local cloud serves the backend, and the ids the caller gave its user pool. */
export interface LocalEnvironment {
  /** The gateway, e.g. `http://127.0.0.1:4566`. */
  baseUrl: string;
  region: string;
  accountId: string;
  userPoolId: string;
  userPoolClientId: string;
  /**
   * There is no local Cognito identity pool: without an id here the identity pool is left out
   * of the outputs, so the client never calls cognito-identity.amazonaws.com offline.
   */
  identityPoolId?: string;
}

/** GraphQL path on the gateway; the AppSync stand-in serves real-time below it. */
export const GRAPHQL_PATH = '/graphql';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A stable, AWS-shaped AppSync API id (26 lowercase alphanumerics) derived from a name. */
export function appSyncApiIdFor(name: string): string {
  const digest = createHash('sha256').update(`appsync:${name}`).digest();
  return Array.from(digest.subarray(0, 26), (byte) => LOWER_ALNUM[byte % LOWER_ALNUM.length]).join(
    '',
  );
}

/** `reserve-inventory-lambda` (Amplify's construct id) -> `reserve-inventory`. */
export function functionNameFor(constructPath: string): string {
  return ownerId(constructPath).replace(/-lambda$/, '');
}

function ownerQualifiedId(constructPath: string): string {
  const segments = constructPath.split('/').filter(Boolean);
  const own = ownerId(constructPath);
  const owner = segments.at(segments.lastIndexOf(own) - 1);
  return owner && owner !== own ? `${owner}${own}` : own;
}

/** Physical names, local style: the construct id unless the template names the resource. */
export function physicalName(
  reference: Pick<ResourceReference, 'resource' | 'constructPath' | 'logicalId' | 'evaluate'>,
): string {
  const props = reference.resource.Properties ?? {};
  const explicit: Record<string, string> = {
    'AWS::DynamoDB::Table': 'TableName',
    'AWS::Lambda::Function': 'FunctionName',
    'AWS::StepFunctions::StateMachine': 'StateMachineName',
    'AWS::S3::Bucket': 'BucketName',
    'AWS::IAM::Role': 'RoleName',
    'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
    'AWS::Logs::LogGroup': 'LogGroupName',
    'AWS::Cognito::UserPool': 'UserPoolName',
    'AWS::Cognito::UserPoolClient': 'ClientName',
    'AWS::AppSync::GraphQLApi': 'Name',
    'AWS::SQS::Queue': 'QueueName',
    'AWS::Scheduler::Schedule': 'Name',
  };
  const property = explicit[reference.resource.Type];
  if (property && props[property] !== undefined) return String(reference.evaluate(props[property]));
  const constructPath = reference.constructPath ?? reference.logicalId;
  switch (reference.resource.Type) {
    case 'AWS::Lambda::Function':
      return functionNameFor(constructPath);
    case 'AWS::StepFunctions::StateMachine': {
      // `new CfnStateMachine(workflow, 'StateMachine')` inside the `OrderWorkflow` construct:
      // the workflow's id names the machine, as the local Step Functions service does.
      const segments = constructPath.split('/').filter(Boolean);
      return segments.at(-1) === 'StateMachine'
        ? (segments.at(-2) ?? 'StateMachine')
        : ownerId(constructPath);
    }
    case 'AWS::SQS::Queue':
    case 'AWS::IAM::ManagedPolicy':
      // `new Queue(intake, 'Queue')` inside `OrderIntake`: the owner's id and the resource's
      // own (`OrderIntakeQueue`, `OrderIntakeAppServerPolicy`), as CloudFormation's generated
      // names begin with them; two constructs may each have a `Queue` or an `AppServerPolicy`.
      return ownerQualifiedId(constructPath);
    case 'AWS::S3::Bucket':
      // Bucket names are lowercase DNS labels.
      return ownerId(constructPath)
        .toLowerCase()
        .replace(/[^a-z0-9.-]/g, '-');
    default:
      return ownerId(constructPath);
  }
}

/**
 * The resolver for `createEvaluator` that answers with the local cloud's values: table names,
 * function names/ARNs, the state machine ARN, the caller's user pool ids, the gateway's
 * GraphQL URL. Types it does not know return `undefined` (the evaluator then throws).
 */
export function localResourceResolver(local: LocalEnvironment): ResourceResolver {
  const { region, accountId } = local;
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${region}:${accountId}:${resource}`;
  const graphqlUrl = `${local.baseUrl.replace(/\/$/, '')}${GRAPHQL_PATH}`;

  return (reference) => {
    const { resource, attribute } = reference;
    const name = () => physicalName(reference);
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        if (attribute === 'Ref') return name();
        if (attribute === 'Arn') return arn('dynamodb', `table/${name()}`);
        return undefined;
      case 'AWS::Lambda::Function':
        if (attribute === 'Ref') return name();
        if (attribute === 'Arn') return arn('lambda', `function:${name()}`);
        return undefined;
      case 'AWS::StepFunctions::StateMachine':
        if (attribute === 'Ref' || attribute === 'Arn')
          return arn('states', `stateMachine:${name()}`);
        if (attribute === 'Name') return name();
        return undefined;
      case 'AWS::Cognito::UserPool':
        if (attribute === 'Ref') return local.userPoolId;
        if (attribute === 'Arn') return arn('cognito-idp', `userpool/${local.userPoolId}`);
        if (attribute === 'ProviderName')
          return `${local.baseUrl.replace(/^https?:\/\//, '')}/${local.userPoolId}`;
        if (attribute === 'ProviderURL') return `${local.baseUrl}/${local.userPoolId}`;
        return undefined;
      case 'AWS::Cognito::UserPoolClient':
        return attribute === 'Ref' ? local.userPoolClientId : undefined;
      case 'AWS::Cognito::IdentityPool':
        // The outputs schema requires some id; `generateLocalOutputs` removes a placeholder.
        return attribute === 'Ref'
          ? (local.identityPoolId ?? `${region}:local-identity-pool-absent`)
          : undefined;
      case 'AWS::AppSync::GraphQLApi': {
        const apiId = appSyncApiIdFor(name());
        if (attribute === 'ApiId') return apiId;
        if (attribute === 'Ref' || attribute === 'Arn') return arn('appsync', `apis/${apiId}`);
        if (attribute === 'GraphQLUrl') return graphqlUrl;
        if (attribute === 'RealtimeUrl') return `${graphqlUrl.replace(/^http/, 'ws')}/realtime`;
        return undefined;
      }
      case 'AWS::AppSync::FunctionConfiguration':
        if (attribute === 'FunctionId')
          return String(reference.evaluate(resource.Properties?.Name));
        return undefined;
      case 'AWS::SQS::Queue':
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html
        if (attribute === 'Ref' || attribute === 'QueueUrl') return queueUrlFor(local, name());
        if (attribute === 'Arn') return queueArnFor(local, name());
        if (attribute === 'QueueName') return name();
        return undefined;
      case 'AWS::Scheduler::Schedule':
        if (attribute === 'Ref') return name();
        if (attribute === 'Arn') return arn('scheduler', `schedule/default/${name()}`);
        return undefined;
      case 'AWS::S3::Bucket':
        if (attribute === 'Ref') return name();
        if (attribute === 'Arn') return `arn:aws:s3:::${name()}`;
        return undefined;
      case 'Custom::CDKBucketDeployment':
        if (attribute === 'DestinationBucketArn') {
          const bucket = reference.evaluate(resource.Properties?.DestinationBucketName);
          return `arn:aws:s3:::${String(bucket)}`;
        }
        return undefined;
      case 'AWS::IAM::Role':
        if (attribute === 'Ref') return name();
        if (attribute === 'Arn') return `arn:aws:iam::${accountId}:role/${name()}`;
        return undefined;
      case 'AWS::IAM::ManagedPolicy':
        return attribute === 'Ref' ? `arn:aws:iam::${accountId}:policy/${name()}` : undefined;
      case 'AWS::Logs::LogGroup':
        if (attribute === 'Ref') return name();
        if (attribute === 'Arn') return arn('logs', `log-group:${name()}:*`);
        return undefined;
      default:
        return undefined;
    }
  };
}
