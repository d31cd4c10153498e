import { readFileSync } from 'node:fs';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { userPoolClientIdFor, userPoolIdFor } from '../cognito';
import { DEFAULT_REGION, LOCAL_ACCOUNT_ID } from '../core/constants';
import {
  loadAssemblyFiles,
  ownerId,
  type AssemblyFiles,
  type CfnResource,
  type StackTemplate,
} from './assembly-files';
import { createEvaluator, type Evaluate } from './intrinsics';
import { functionNameFromReference } from '../lambda/naming';
import { queueArnFor, queueUrlFor } from '../sqs/naming';
import { localResourceResolver, physicalName, type LocalEnvironment } from './local-values';
import type {
  BackendModel,
  LocalAppSyncApi,
  LocalDataSource,
  LocalEventSourceMapping,
  LocalFunction,
  LocalQueue,
  LocalResolver,
  LocalResolverCode,
  LocalSchedule,
  LocalStateMachine,
  LocalTable,
  LocalUserPool,
} from './model';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:4566';

type Found = { stack: StackTemplate; logicalId: string; resource: CfnResource };
type Props = Record<string, unknown>;

/** Evaluated view of a synthesized backend; see `BackendModel`. */
export interface Assembly {
  files: AssemblyFiles;
  model: BackendModel;
  evaluate: Evaluate;
}

/**
 * Reads a cloud assembly directory (`npx tsx scripts/synth.ts <dir>`) into the model the local
 * cloud runs from. Local ids default to the stand-ins' own derivations (pool id from
 * `userPoolIdFor(region, poolName)`, client id from `userPoolClientIdFor(poolId, clientName)`).
 */
export function readAssembly(dir: string, local: Partial<LocalEnvironment> = {}): BackendModel {
  return loadAssembly(dir, local).model;
}

export function loadAssembly(dir: string, partial: Partial<LocalEnvironment> = {}): Assembly {
  const files = loadAssemblyFiles(dir);
  const all = (type: string): Found[] =>
    files.stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources ?? {})
        .filter(([, resource]) => resource.Type === type)
        .map(([logicalId, resource]) => ({ stack, logicalId, resource })),
    );
  const region = partial.region ?? DEFAULT_REGION;
  const poolResource = all('AWS::Cognito::UserPool')[0];
  const clientResource = all('AWS::Cognito::UserPoolClient')[0];
  const poolName = poolResource ? userPoolName(poolResource) : 'UserPool';
  const userPoolId = partial.userPoolId ?? userPoolIdFor(region, poolName);
  const local: LocalEnvironment = {
    baseUrl: partial.baseUrl ?? DEFAULT_BASE_URL,
    region,
    accountId: partial.accountId ?? LOCAL_ACCOUNT_ID,
    userPoolId,
    userPoolClientId:
      partial.userPoolClientId ??
      userPoolClientIdFor(
        userPoolId,
        clientResource ? literalName(clientResource, 'ClientName') : 'client',
      ),
    identityPoolId: partial.identityPoolId,
  };
  const evaluate = createEvaluator(files, {
    region: local.region,
    accountId: local.accountId,
    resolveResource: localResourceResolver(local),
  });
  const ev = (found: Found, value: unknown) => evaluate(found.stack, value);
  const props = (found: Found): Props => found.resource.Properties ?? {};

  const tables = all('AWS::DynamoDB::Table').map((found) => readTable(found, ev));
  const userPool = poolResource
    ? readUserPool(
        poolResource,
        poolName,
        local,
        all('AWS::Cognito::UserPoolClient'),
        all('AWS::Cognito::UserPoolGroup'),
        ev,
      )
    : undefined;

  const api = all('AWS::AppSync::GraphQLApi');
  if (api.length > 1) throw new Error(`${dir} defines ${api.length} AppSync APIs; expected one.`);
  const appSync = api[0] ? readAppSync(api[0], files, { all, ev, props }) : undefined;

  const defined = definedFunctionNames(files, evaluate);
  const functions = all('AWS::Lambda::Function')
    .map((found) => readFunction(found, ev))
    .filter((fn) => defined === undefined || defined.has(fn.name));

  const stateMachines = all('AWS::StepFunctions::StateMachine').map((found) =>
    readStateMachine(found, ev),
  );

  const queues = all('AWS::SQS::Queue').map((found) => readQueue(found, ev, local));
  const eventSourceMappings = all('AWS::Lambda::EventSourceMapping').map((found) =>
    readEventSourceMapping(found, ev),
  );
  const functionNames = new Set(functions.map((fn) => fn.name));
  const schedules = all('AWS::Scheduler::Schedule')
    .map((found) => readSchedule(found, ev))
    .filter((schedule) => functionNames.has(schedule.functionName));

  const outputs = Object.fromEntries(
    Object.entries(files.root.template.Outputs ?? {}).map(([key, output]) => [
      key,
      String(evaluate(files.root, output.Value)),
    ]),
  );

  return {
    files,
    evaluate,
    model: {
      dir,
      stackName: files.stackName,
      local,
      tables,
      userPool,
      appSync,
      functions,
      stateMachines,
      queues,
      eventSourceMappings,
      schedules,
      outputs,
    },
  };
}

function literal(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a literal string`);
  return value;
}

function literalName(found: Found, property: string): string {
  const value = found.resource.Properties?.[property];
  return value === undefined
    ? ownerId(found.stack.constructPaths.get(found.logicalId) ?? found.logicalId)
    : literal(value, property);
}

function userPoolName(found: Found): string {
  const props = found.resource.Properties ?? {};
  const tags = (props.UserPoolTags ?? {}) as Record<string, unknown>;
  if (props.UserPoolName !== undefined) return literal(props.UserPoolName, 'UserPoolName');
  const friendly = tags['amplify:friendly-name'];
  return typeof friendly === 'string' ? friendly : literalName(found, 'UserPoolName');
}

function readTable(found: Found, ev: (f: Found, v: unknown) => unknown): LocalTable {
  const p = ev(found, found.resource.Properties ?? {}) as Props;
  const constructPath = found.stack.constructPaths.get(found.logicalId);
  const name = physicalName({ ...found, constructPath, evaluate: (v) => ev(found, v) });
  const billingMode = (p.BillingMode as CreateTableCommandInput['BillingMode']) ?? 'PROVISIONED';
  const throughput = (value: unknown) =>
    billingMode === 'PROVISIONED'
      ? ((value as CreateTableCommandInput['ProvisionedThroughput']) ?? {
          ReadCapacityUnits: 5,
          WriteCapacityUnits: 5,
        })
      : undefined;
  const indexes = (list: unknown, withThroughput: boolean) =>
    (list as Props[] | undefined)?.map((index) => ({
      IndexName: index.IndexName as string,
      KeySchema: index.KeySchema as NonNullable<CreateTableCommandInput['KeySchema']>,
      Projection: index.Projection as { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE' },
      ...(withThroughput && billingMode === 'PROVISIONED'
        ? { ProvisionedThroughput: throughput(index.ProvisionedThroughput) }
        : {}),
    }));
  const stream = p.StreamSpecification as { StreamViewType?: string } | undefined;
  const ttl = p.TimeToLiveSpecification as
    { AttributeName?: string; Enabled?: boolean } | undefined;
  const createTable: LocalTable['createTable'] = {
    TableName: name,
    KeySchema: p.KeySchema as CreateTableCommandInput['KeySchema'],
    AttributeDefinitions: p.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    BillingMode: billingMode,
    ...(billingMode === 'PROVISIONED'
      ? { ProvisionedThroughput: throughput(p.ProvisionedThroughput) }
      : {}),
    ...(p.GlobalSecondaryIndexes
      ? { GlobalSecondaryIndexes: indexes(p.GlobalSecondaryIndexes, true) }
      : {}),
    ...(p.LocalSecondaryIndexes
      ? { LocalSecondaryIndexes: indexes(p.LocalSecondaryIndexes, false) }
      : {}),
    ...(stream?.StreamViewType
      ? {
          StreamSpecification: {
            StreamEnabled: true,
            StreamViewType: stream.StreamViewType as 'NEW_AND_OLD_IMAGES',
          },
        }
      : {}),
  };
  return {
    name,
    constructPath,
    createTable,
    timeToLiveAttribute: ttl?.Enabled ? ttl.AttributeName : undefined,
  };
}

function readUserPool(
  pool: Found,
  name: string,
  local: LocalEnvironment,
  clients: Found[],
  groups: Found[],
  ev: (f: Found, v: unknown) => unknown,
): LocalUserPool {
  const p = ev(pool, pool.resource.Properties ?? {}) as Props;
  const policy = ((p.Policies as Props | undefined)?.PasswordPolicy ?? {}) as Props;
  const belongs = (found: Found) =>
    ev(found, found.resource.Properties?.UserPoolId) === local.userPoolId;
  const poolClients = clients.filter(belongs).map((found) => ({
    name: literalName(found, 'ClientName'),
    id: String(ev(found, { Ref: found.logicalId })),
    explicitAuthFlows: (ev(found, found.resource.Properties?.ExplicitAuthFlows) as string[]) ?? [],
  }));
  const client = poolClients[0];
  if (!client) throw new Error(`User pool ${name} has no app client in the assembly.`);
  return {
    name,
    id: local.userPoolId,
    // Cognito's defaults where the template leaves a requirement out.
    passwordPolicy: {
      minLength: Number(policy.MinimumLength ?? 8),
      requireUppercase: Boolean(policy.RequireUppercase ?? true),
      requireLowercase: Boolean(policy.RequireLowercase ?? true),
      requireNumbers: Boolean(policy.RequireNumbers ?? true),
      requireSymbols: Boolean(policy.RequireSymbols ?? true),
    },
    usernameAttributes: (p.UsernameAttributes as string[] | undefined) ?? [],
    autoVerifiedAttributes: (p.AutoVerifiedAttributes as string[] | undefined) ?? [],
    groups: groups.filter(belongs).map((found) => {
      const g = ev(found, found.resource.Properties ?? {}) as Props;
      return {
        name: String(g.GroupName ?? literalName(found, 'GroupName')),
        ...(g.Precedence !== undefined ? { precedence: Number(g.Precedence) } : {}),
      };
    }),
    client,
    clients: poolClients,
  };
}

interface Lookups {
  all: (type: string) => Found[];
  ev: (found: Found, value: unknown) => unknown;
  props: (found: Found) => Props;
}

/** `s3://…/<hash>.js` (as an `Fn::Sub`) -> the staged asset file. */
function assetFile(files: AssemblyFiles, location: unknown): string {
  const hash = /([0-9a-f]{64})\.\w+/.exec(JSON.stringify(location))?.[1];
  const file = hash ? files.assets.get(hash) : undefined;
  if (!file) throw new Error(`Asset ${JSON.stringify(location)} is not in ${files.dir}`);
  return file;
}

function readAppSync(
  api: Found,
  files: AssemblyFiles,
  { all, ev, props }: Lookups,
): LocalAppSyncApi {
  const apiId = ev(api, { 'Fn::GetAtt': [api.logicalId, 'ApiId'] });
  const ofThisApi = (found: Found) => ev(found, props(found).ApiId) === apiId;
  const p = props(api);

  const schemaResource = all('AWS::AppSync::GraphQLSchema').find(ofThisApi);
  const schemaProps = schemaResource ? props(schemaResource) : {};
  let schema: string;
  let schemaSource: string;
  if (typeof schemaProps.Definition === 'string') {
    schema = schemaProps.Definition;
    schemaSource = 'inline';
  } else if (schemaProps.DefinitionS3Location !== undefined) {
    schemaSource = assetFile(files, schemaProps.DefinitionS3Location);
    schema = readFileSync(schemaSource, 'utf8');
  } else {
    throw new Error(`AppSync API ${api.logicalId} has no schema in the assembly.`);
  }

  const code = (found: Found): LocalResolverCode => {
    const q = props(found);
    const runtime = q.Runtime as { Name: string; RuntimeVersion: string } | undefined;
    return {
      ...(runtime
        ? { runtime: { name: runtime.Name, runtimeVersion: runtime.RuntimeVersion } }
        : {}),
      ...(q.CodeS3Location !== undefined ? { codeFile: assetFile(files, q.CodeS3Location) } : {}),
      ...(q.Code !== undefined ? { code: String(ev(found, q.Code)) } : {}),
      ...(q.DataSourceName !== undefined
        ? { dataSourceName: String(ev(found, q.DataSourceName)) }
        : {}),
    };
  };
  const functionConfigs = all('AWS::AppSync::FunctionConfiguration').filter(ofThisApi);
  const resolvers: LocalResolver[] = all('AWS::AppSync::Resolver')
    .filter(ofThisApi)
    .map((found) => {
      const q = props(found);
      const functionIds = ((q.PipelineConfig as Props | undefined)?.Functions ?? []) as unknown[];
      const functions = functionIds.map((id) => {
        const wanted = ev(found, id);
        const config = functionConfigs.find(
          (f) => ev(f, { 'Fn::GetAtt': [f.logicalId, 'FunctionId'] }) === wanted,
        );
        if (!config)
          throw new Error(`Resolver ${found.logicalId}: no pipeline function ${String(wanted)}`);
        return { name: String(ev(config, props(config).Name)), ...code(config) };
      });
      const own = code(found);
      const kind = q.Kind === 'PIPELINE' ? 'PIPELINE' : 'UNIT';
      return {
        typeName: String(ev(found, q.TypeName)),
        fieldName: String(ev(found, q.FieldName)),
        kind,
        ...own,
        functions,
        handler: kind === 'PIPELINE' && functions.length === 1 ? functions[0]! : own,
      };
    });

  const dataSources: LocalDataSource[] = all('AWS::AppSync::DataSource')
    .filter(ofThisApi)
    .map((found) => {
      const q = props(found);
      const dynamo = q.DynamoDBConfig as Props | undefined;
      const lambda = q.LambdaConfig as Props | undefined;
      return {
        name: String(ev(found, q.Name)),
        type: String(q.Type),
        ...(dynamo ? { tableName: String(ev(found, dynamo.TableName)) } : {}),
        ...(lambda
          ? { functionName: String(ev(found, lambda.LambdaFunctionArn)).split(':').at(-1) }
          : {}),
      };
    });

  const additional = (p.AdditionalAuthenticationProviders ?? []) as Props[];
  return {
    name: String(ev(api, p.Name)),
    apiId: String(apiId),
    graphqlUrl: String(ev(api, { 'Fn::GetAtt': [api.logicalId, 'GraphQLUrl'] })),
    authenticationType: String(p.AuthenticationType),
    additionalAuthenticationTypes: additional.map((a) => String(a.AuthenticationType)),
    schema,
    schemaSource,
    resolvers,
    dataSources,
  };
}

/** The root's `definedFunctions` output: JSON array of the backend's function names. */
function definedFunctionNames(files: AssemblyFiles, evaluate: Evaluate): Set<string> | undefined {
  const output = files.root.template.Outputs?.definedFunctions;
  if (!output) return undefined;
  return new Set(JSON.parse(String(evaluate(files.root, output.Value))) as string[]);
}

function readFunction(found: Found, ev: (f: Found, v: unknown) => unknown): LocalFunction {
  const p = found.resource.Properties ?? {};
  const constructPath = found.stack.constructPaths.get(found.logicalId);
  const variables = ((p.Environment as Props | undefined)?.Variables ?? {}) as Props;
  const environment: Record<string, string> = {};
  const unresolvedEnvironment: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    try {
      environment[key] = String(ev(found, value));
    } catch (error) {
      unresolvedEnvironment[key] = (error as Error).message;
    }
  }
  return {
    name: String(ev(found, { Ref: found.logicalId })),
    constructPath,
    ...(typeof p.Handler === 'string' ? { handler: p.Handler } : {}),
    ...(typeof p.Runtime === 'string' ? { runtime: p.Runtime } : {}),
    ...(p.Timeout !== undefined ? { timeoutSeconds: Number(p.Timeout) } : {}),
    ...(p.MemorySize !== undefined ? { memorySize: Number(p.MemorySize) } : {}),
    ...(p.ReservedConcurrentExecutions !== undefined
      ? { reservedConcurrency: Number(p.ReservedConcurrentExecutions) }
      : {}),
    environment,
    unresolvedEnvironment,
  };
}

function readStateMachine(found: Found, ev: (f: Found, v: unknown) => unknown): LocalStateMachine {
  const p = found.resource.Properties ?? {};
  const definition = p.DefinitionString ?? p.Definition;
  const definitionString =
    typeof definition === 'string'
      ? definition
      : typeof p.DefinitionString === 'object'
        ? String(ev(found, p.DefinitionString))
        : JSON.stringify(definition);
  const substitutions = ev(found, p.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  const arn = String(ev(found, { Ref: found.logicalId }));
  return {
    name: arn.split(':').at(-1) ?? arn,
    arn,
    ...(typeof p.StateMachineType === 'string' ? { type: p.StateMachineType } : {}),
    definitionString,
    substitutionKeys: Object.keys(p.DefinitionSubstitutions ?? {}),
    substitutions: Object.fromEntries(
      Object.entries(substitutions).map(([k, v]) => [k, String(v)]),
    ),
  };
}

/** Template properties that are not queue attributes (CreateQueue takes them separately). */
const NOT_QUEUE_ATTRIBUTES = new Set(['QueueName', 'Tags']);

/**
 * CloudFormation's queue properties are CreateQueue's attribute names; the API takes every
 * value as a string, and the redrive policies as JSON text.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 */
function readQueue(
  found: Found,
  ev: (f: Found, v: unknown) => unknown,
  local: LocalEnvironment,
): LocalQueue {
  const p = ev(found, found.resource.Properties ?? {}) as Props;
  const constructPath = found.stack.constructPaths.get(found.logicalId);
  const name = physicalName({ ...found, constructPath, evaluate: (v) => ev(found, v) });
  const attributes = Object.fromEntries(
    Object.entries(p)
      .filter(([key]) => !NOT_QUEUE_ATTRIBUTES.has(key))
      .map(([key, value]) => [
        key,
        typeof value === 'object' ? JSON.stringify(value) : String(value),
      ]),
  );
  return {
    name,
    constructPath,
    url: queueUrlFor(local, name),
    arn: queueArnFor(local, name),
    attributes,
  };
}

function readEventSourceMapping(
  found: Found,
  ev: (f: Found, v: unknown) => unknown,
): LocalEventSourceMapping {
  const p = ev(found, found.resource.Properties ?? {}) as Props;
  const scaling = p.ScalingConfig as { MaximumConcurrency?: number } | undefined;
  return {
    functionName: functionNameFromReference(String(p.FunctionName)) ?? String(p.FunctionName),
    eventSourceArn: String(p.EventSourceArn),
    // Lambda's defaults for SQS: 10 messages, no batching window.
    // https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
    batchSize: Number(p.BatchSize ?? 10),
    maximumBatchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
    ...(scaling?.MaximumConcurrency !== undefined
      ? { maximumConcurrency: Number(scaling.MaximumConcurrency) }
      : {}),
    functionResponseTypes: (p.FunctionResponseTypes as string[] | undefined) ?? [],
    enabled: p.Enabled === undefined ? true : p.Enabled === true || p.Enabled === 'true',
  };
}

function readSchedule(found: Found, ev: (f: Found, v: unknown) => unknown): LocalSchedule {
  const p = found.resource.Properties ?? {};
  const target = (p.Target ?? {}) as Props;
  const constructPath = found.stack.constructPaths.get(found.logicalId);
  return {
    name: physicalName({ ...found, constructPath, evaluate: (v) => ev(found, v) }),
    expression: String(ev(found, p.ScheduleExpression)),
    ...(p.ScheduleExpressionTimezone !== undefined
      ? { timezone: String(ev(found, p.ScheduleExpressionTimezone)) }
      : {}),
    // Another target type (a queue, a state machine) names no function: filtered out above.
    functionName: functionNameFromReference(String(ev(found, target.Arn))) ?? '',
    ...(target.Input !== undefined ? { input: String(ev(found, target.Input)) } : {}),
    enabled: (p.State ?? 'ENABLED') === 'ENABLED',
  };
}
