import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import path from 'node:path';
import { fetchJwksFetcher } from '../lib/auth/jwks-fetcher';
import { createAppSyncService, type DataSourceConfig, type JwtClaims } from './appsync';
import { readAssembly } from './backend';
import type { BackendModel } from './backend/model';
import { createCognitoService, type CodeInfo, type ExplicitAuthFlow } from './cognito';
import { localFunctionEnv } from './core/default-services';
import type { ServiceContext } from './core/service';
import type { ServiceFactory } from './core/start';
import { dynamoDbService } from './dynamodb';
import { LambdaRunner } from './functions/runner';
import { LocalInbox } from './inbox';
import { createLambdaService } from './lambda/service';
import { handlerResolverForDir } from './stepfunctions/machines';
import { stepFunctionsService } from './stepfunctions/service';

/**
 * The whole offline backend, derived from the synthesized cloud assembly so it cannot drift from
 * what `ampx sandbox` deploys: the tables, the user pool and its client's sign-in flows, the
 * AppSync schema and the very resolver files, the functions' environment, the state machine.
 * Handler code runs from `amplify/functions/<name>/handler.ts`, as Lambda would run the bundle.
 */
export interface OfflineBackendOptions {
  assemblyDir: string;
  /** Repository root holding `amplify/`. */
  projectDir?: string;
  /** Receives sign-up and reset codes (the dev script prints them). */
  onCode?: (info: CodeInfo) => void;
}

/** The local cloud's one credential pair: SDK clients and the publisher sign with it. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function offlineBackendServices(options: OfflineBackendOptions): ServiceFactory[] {
  const projectDir = options.projectDir ?? process.cwd();
  const inbox = new LocalInbox();
  const functionsDir = path.join(projectDir, 'amplify', 'functions');
  // Every service reads the same model: read the assembly once, not once per service.
  let model: BackendModel | undefined;
  const modelFor = (ctx: ServiceContext) =>
    (model ??= readAssembly(options.assemblyDir, { baseUrl: ctx.baseUrl, region: ctx.region }));

  return [
    () => inbox.service(),
    dynamoDbService(),
    (ctx) => {
      const pool = modelFor(ctx).userPool;
      if (!pool) throw new Error('The backend defines no user pool');
      return createCognitoService(ctx, {
        userPools: [
          {
            id: pool.id,
            name: pool.name,
            groups: pool.groups.map((group) => group.name),
            signInWith: pool.usernameAttributes.includes('email') ? 'email' : 'username',
            passwordPolicy: pool.passwordPolicy,
            clients: pool.clients.map((client) => ({
              id: client.id,
              name: client.name,
              explicitAuthFlows: client.explicitAuthFlows.map(
                (flow) => flow.replace(/^ALLOW_/, '') as ExplicitAuthFlow,
              ),
            })),
          },
        ],
        onCode: (info) => {
          inbox.deliver(info);
          options.onCode?.(info);
        },
      });
    },
    (ctx) => {
      const model = modelFor(ctx);
      applyFunctionEnvironment(ctx, model);
      const runner = new LambdaRunner(
        handlerResolverForDir(functionsDir),
        ctx.region,
        ctx.accountId,
      );
      return createLambdaService(ctx, runner);
    },
    stepFunctionsService(async (ctx) => {
      const model = modelFor(ctx);
      return {
        stateMachines: model.stateMachines.map((machine) => ({
          name: machine.name,
          // The ASL file in amplify/ is byte-identical to the synthesized definition (tested).
          definitionPath: path.join(projectDir, 'amplify', 'workflow', 'order-workflow.asl.json'),
          substitutions: machine.substitutions,
          resolveHandler: handlerResolverForDir(functionsDir),
        })),
        functionEnv: functionEnvironment(ctx, model),
      };
    }),
    (ctx) => {
      const model = modelFor(ctx);
      const api = model.appSync;
      const pool = model.userPool;
      if (!api || !pool) throw new Error('The backend defines no AppSync API or user pool');
      const dynamo = new DynamoDBClient({
        endpoint: ctx.baseUrl,
        region: ctx.region,
        credentials: LOCAL_CREDENTIALS,
      });
      const dataSources: Record<string, DataSourceConfig> = {};
      for (const source of api.dataSources) {
        if (source.type === 'NONE') dataSources[source.name] = { type: 'NONE' };
        if (source.type === 'AMAZON_DYNAMODB' && source.tableName) {
          dataSources[source.name] = {
            type: 'AMAZON_DYNAMODB',
            tableName: source.tableName,
            client: dynamo,
          };
        }
      }
      const resolvers = Object.fromEntries(
        api.resolvers
          .filter((resolver) => resolver.handler.codeFile)
          .map((resolver) => [
            `${resolver.typeName}.${resolver.fieldName}`,
            {
              kind: 'js' as const,
              file: resolver.handler.codeFile!,
              dataSource:
                resolver.handler.dataSourceName && dataSources[resolver.handler.dataSourceName]
                  ? resolver.handler.dataSourceName
                  : undefined,
            },
          ]),
      );
      return createAppSyncService(ctx, {
        path: new URL(api.graphqlUrl).pathname,
        schema: api.schema,
        resolvers,
        dataSources,
        auth: {
          defaultMode: 'userPool',
          userPool: { verify: userPoolVerifier(ctx, pool.id, pool.client.id) },
          iam: LOCAL_CREDENTIALS,
        },
      });
    },
  ];
}

/** Every backend function's environment as the templates set it, over the local defaults. */
function functionEnvironment(ctx: ServiceContext, model: BackendModel): Record<string, string> {
  const env: Record<string, string> = { ...localFunctionEnv(ctx) };
  for (const fn of model.functions) Object.assign(env, fn.environment);
  env.AWS_ENDPOINT_URL = ctx.baseUrl;
  env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  return env;
}

function applyFunctionEnvironment(ctx: ServiceContext, model: BackendModel) {
  for (const [name, value] of Object.entries(functionEnvironment(ctx, model)))
    process.env[name] = value;
}

/**
 * AppSync accepts user-pool ID and access tokens, verified against the JWKS this same gateway
 * serves, with the app's own fetch()-based fetcher.
 */
function userPoolVerifier(ctx: ServiceContext, poolId: string, clientId: string) {
  const issuer = `${ctx.baseUrl}/${poolId}`;
  const verifier = JwtRsaVerifier.create(
    {
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      audience: null,
      customJwtCheck: ({ payload }) => {
        const audience = payload.token_use === 'access' ? payload.client_id : payload.aud;
        if (audience !== clientId) throw new Error('Token was issued to another client');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: fetchJwksFetcher }) },
  );
  return async (token: string) => (await verifier.verify(token)) as unknown as JwtClaims;
}
