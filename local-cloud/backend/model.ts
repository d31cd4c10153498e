import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { LambdaHandler } from '../lambda/types';
import type { LocalEnvironment } from './local-values';

/**
 * What the local cloud deploys, slice by slice: DynamoDB creates `tables`, Cognito serves
 * `userPool`, Lambda runs `functions`, Step Functions creates `stateMachines`, AppSync serves
 * `appSync`. A synthesized Amplify backend provides all of it (`readAssembly`); a test may
 * describe a smaller backend by hand.
 */
export interface LocalBackend {
  tables: LocalTable[];
  userPool?: LocalUserPool;
  appSync?: LocalAppSyncApi;
  functions: LocalFunction[];
  stateMachines: LocalStateMachine[];
  /** SQS queues, created through CreateQueue at start (dead-letter queues first). */
  queues?: LocalQueue[];
  /** `AWS::Lambda::EventSourceMapping`s: Lambda's pollers, run by the local Lambda. */
  eventSourceMappings?: LocalEventSourceMapping[];
  /** `AWS::Scheduler::Schedule`s whose target is a function of the backend. */
  schedules?: LocalSchedule[];
}

/** Where a function's code lives: a module Lambda's runtime loads, or (tests, benchmarks) a function. */
export type FunctionCode = { path: string; exportName?: string } | { inline: LambdaHandler };

/** What the local cloud needs to stand in for the synthesized backend. */
export interface BackendModel extends LocalBackend {
  dir: string;
  /** CloudFormation name of the root stack. */
  stackName: string;
  local: LocalEnvironment;
  /** The root stack's outputs, evaluated with local values (what DescribeStacks would say). */
  outputs: Record<string, string>;
}

export interface LocalTable {
  /** Local physical name: the construct id (`Orders`) unless the template names the table. */
  name: string;
  constructPath?: string;
  createTable: CreateTableCommandInput & { TableName: string };
  timeToLiveAttribute?: string;
}

export interface LocalUserPool {
  /** `UserPoolName`, else Amplify's friendly name (`amplifyAuth`). */
  name: string;
  id: string;
  passwordPolicy: {
    minLength: number;
    requireUppercase: boolean;
    requireLowercase: boolean;
    requireNumbers: boolean;
    requireSymbols: boolean;
  };
  /** `['email']` for `loginWith: { email: true }`. */
  usernameAttributes: string[];
  autoVerifiedAttributes: string[];
  groups: { name: string; precedence?: number }[];
  /** The app client (Amplify deploys one). */
  client: LocalUserPoolClient;
  clients: LocalUserPoolClient[];
}

export interface LocalUserPoolClient {
  name: string;
  id: string;
  /** As deployed, e.g. `['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']`. */
  explicitAuthFlows: string[];
}

export interface LocalAppSyncApi {
  name: string;
  apiId: string;
  graphqlUrl: string;
  authenticationType: string;
  additionalAuthenticationTypes: string[];
  /** The SDL as deployed: the schema resource's inline `Definition`, else the staged asset. */
  schema: string;
  /** `inline` or the asset file the schema was read from. */
  schemaSource: string;
  resolvers: LocalResolver[];
  dataSources: LocalDataSource[];
}

export interface LocalResolverCode {
  runtime?: { name: string; runtimeVersion: string };
  /** The code file as staged in the assembly (`asset.<hash>.js`), when the code is an asset. */
  codeFile?: string;
  /** Inline code, evaluated (Amplify's pipeline wrappers embed the API id). */
  code?: string;
  dataSourceName?: string;
}

export interface LocalResolver extends LocalResolverCode {
  typeName: string;
  fieldName: string;
  kind: 'UNIT' | 'PIPELINE';
  /** Pipeline functions in order; a unit resolver has none. */
  functions: (LocalResolverCode & { name: string })[];
  /**
   * What the field effectively runs: the unit resolver itself, or the pipeline's only function
   * (Amplify wraps each custom handler in a one-function pipeline).
   */
  handler: LocalResolverCode;
}

export interface LocalDataSource {
  name: string;
  type: string;
  /** Local table name, for AMAZON_DYNAMODB. */
  tableName?: string;
  /** Local function name, for AWS_LAMBDA. */
  functionName?: string;
}

export interface LocalFunction {
  /** Kebab name: `reserve-inventory`. */
  name: string;
  constructPath?: string;
  handler?: string;
  runtime?: string;
  timeoutSeconds?: number;
  memorySize?: number;
  /** `ReservedConcurrentExecutions`: at most this many invocations at once. */
  reservedConcurrency?: number;
  /** The handler's source; without it the function exists but cannot run locally. */
  code?: FunctionCode;
  /** `Environment.Variables`, references resolved to local values. */
  environment: Record<string, string>;
  /** Variables whose value had no local equivalent, with the reason. */
  unresolvedEnvironment: Record<string, string>;
}

export interface LocalStateMachine {
  name: string;
  arn: string;
  type?: string;
  /** Byte-identical to what CloudFormation would receive. */
  definitionString: string;
  substitutionKeys: string[];
  /** `DefinitionSubstitutions` with local values (function ARNs). */
  substitutions: Record<string, string>;
}

export interface LocalQueue {
  /** `QueueName` when the template sets it, else the construct id (`Queue`, `DeadLetters`). */
  name: string;
  constructPath?: string;
  /** `${baseUrl}/${accountId}/${name}`, what `Ref` gives in the template. */
  url: string;
  arn: string;
  /**
   * CreateQueue's `Attributes`, as strings (what the SQS API takes): `VisibilityTimeout`,
   * `MessageRetentionPeriod`, `RedrivePolicy` (JSON with the local dead-letter queue ARN), …
   */
  attributes: Record<string, string>;
}

export interface LocalEventSourceMapping {
  /** Local function name (`intake-worker`). */
  functionName: string;
  /** An SQS queue ARN (the only source type the local Lambda polls). */
  eventSourceArn: string;
  /** Default 10 for SQS. */
  batchSize: number;
  /** `MaximumBatchingWindowInSeconds`, default 0. */
  maximumBatchingWindowSeconds: number;
  /** `ScalingConfig.MaximumConcurrency` (2–1000); absent: as many as the pollers reach. */
  maximumConcurrency?: number;
  /** `['ReportBatchItemFailures']` enables partial batch responses. */
  functionResponseTypes: string[];
  enabled: boolean;
}

export interface LocalSchedule {
  name: string;
  /** `rate(5 minutes)`, `cron(0/5 * * * ? *)` or `at(2026-12-01T10:00:00)`, as in the template. */
  expression: string;
  timezone?: string;
  /** Local function name the schedule invokes. */
  functionName: string;
  /**
   * `Target.Input`: the event the function receives. Without one, Scheduler sends its default
   * notification (a `Scheduled Event` envelope; see local-cloud/scheduler/event.ts).
   */
  input?: string;
  enabled: boolean;
}
