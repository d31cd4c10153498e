import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createAppSyncService, type AppSyncService } from './appsync';
import { appSyncConfigFromBackend } from './appsync/from-backend';
import type { LocalBackend } from './backend/model';
import type { LocalOutputs } from './backend/outputs';
import type { BackendSource } from './backend/source';
import { deployQueues } from './backend/queues';
import { deployStateMachines } from './backend/state-machines';
import { createTables } from './backend/tables';
import { createCognitoService, type CodeInfo, type CognitoService } from './cognito';
import { cognitoConfigFromBackend } from './cognito/from-backend';
import { createClock, timeScaleFromEnv } from './core/clock';
import { DEFAULT_REGION, LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS } from './core/constants';
import { Gateway } from './core/gateway';
import { createLogger, logLevelFromEnv, type LogLevel } from './core/logger';
import type { Clock, LocalService, Logger, ServiceContext } from './core/service';
import { DEFAULT_DATA_DIR, openDatabase } from './core/storage';
import { createDynamoDbService, levelDbPath, type DynamoDbService } from './dynamodb/service';
import { createInboxService, type InboxService } from './inbox/service';
import { startEventSourceMappings, type EventSourceMappings } from './lambda/event-sources';
import { createLambdaService, type LambdaService } from './lambda/service';
import { startSchedules, type Schedules } from './scheduler';
import { createSnsService, type SnsOptions, type SnsService } from './sns/service';
import { createSqsService, type SqsService } from './sqs/service';
import { createStepFunctionsService, type StepFunctionsService } from './stepfunctions/service';

export const DEFAULT_PORT = 4566;

export interface LocalCloudOptions {
  /** 0 picks a free port (tests). Default: LOCAL_CLOUD_PORT or 4566. */
  port?: number;
  host?: string;
  /** `:memory:` (tests) or a directory for every service's files. Default `.local-cloud`. */
  dataDir?: string;
  /** Default: real time, sped up by LOCAL_CLOUD_TIME_SCALE. Tests may pass a manual clock. */
  clock?: Clock;
  /** What to deploy. Without one the services start empty (create resources through the APIs). */
  backend?: BackendSource;
  region?: string;
  logLevel?: LogLevel;
  log?: Logger & { child?(scope: string): Logger };
  /** Every confirmation or reset code Cognito "emails" (besides the local inbox). */
  onCode?: (info: CodeInfo) => void;
  /** SNS settings: the certificate server's port (default LOCAL_CLOUD_SNS_CERT_PORT or any free one), the endpoint timeout. */
  sns?: Omit<SnsOptions, 'sqs'>;
}

/** Every service of the local cloud, by name. */
export interface LocalCloudServices {
  inbox: InboxService;
  dynamodb: DynamoDbService;
  cognito: CognitoService;
  lambda: LambdaService;
  stepfunctions: StepFunctionsService;
  sqs: SqsService;
  sns: SnsService;
  /** Only when the backend defines a GraphQL API. */
  appsync?: AppSyncService;
}

export interface LocalCloud {
  url: string;
  port: number;
  region: string;
  /** `amplify_outputs.json` pointing at this local cloud, when the backend is an Amplify app. */
  outputs?: LocalOutputs;
  backend: LocalBackend;
  services: LocalCloudServices;
  /** Lambda's pollers for the backend's SQS event source mappings. */
  eventSources: EventSourceMappings;
  /** The backend's EventBridge Scheduler schedules (`runNow` fires one at once). */
  schedules: Schedules;
  /** The one credential pair every local service accepts (signatures are not verified). */
  credentials: typeof LOCAL_CREDENTIALS;
  close(): Promise<void>;
}

const EMPTY_BACKEND: LocalBackend = { tables: [], functions: [], stateMachines: [] };

/**
 * The one way anything starts the local cloud (`npm run dev`, `npm run local-cloud`, the tests,
 * the bench): bind the port, open storage, build every service from its slice of the backend,
 * deploy the backend's tables, and report ready. Services are built after the port is bound,
 * because a backend's local values contain the gateway's URL (port 0 in tests).
 */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const log = options.log ?? createLogger('local-cloud', options.logLevel ?? logLevelFromEnv());
  const gateway = new Gateway(log);
  const host = options.host ?? '127.0.0.1';
  const port = await gateway.listen(
    options.port ?? Number(process.env.LOCAL_CLOUD_PORT ?? DEFAULT_PORT),
    host,
  );
  const dataDir = options.dataDir ?? process.env.LOCAL_CLOUD_DATA_DIR ?? DEFAULT_DATA_DIR;
  const db = openDatabase(dataDir);
  const base: ServiceContext = {
    db,
    dataDir,
    clock: options.clock ?? createClock(timeScaleFromEnv()),
    log,
    baseUrl: `http://${host}:${port}`,
    region: options.region ?? process.env.AWS_REGION ?? DEFAULT_REGION,
    accountId: LOCAL_ACCOUNT_ID,
  };
  const ctxFor = (scope: string): ServiceContext => ({ ...base, log: log.child?.(scope) ?? log });
  const at = { baseUrl: base.baseUrl, region: base.region };

  try {
    const backend = options.backend?.load(at) ?? EMPTY_BACKEND;
    const inbox = createInboxService();
    const dynamodb = await createDynamoDbService(ctxFor('dynamodb'), { path: levelDbPath(base) });
    const cognito = createCognitoService(ctxFor('cognito'), {
      ...cognitoConfigFromBackend(backend),
      onCode: (info) => {
        inbox.deliver(info);
        options.onCode?.(info);
      },
    });
    const lambda = createLambdaService(ctxFor('lambda'), {
      functions: backend.functions,
      // Every function's SDK clients come back here, signed with the local credentials.
      baseEnvironment: {
        AWS_REGION: base.region,
        AWS_ENDPOINT_URL: base.baseUrl,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      },
    });
    const stepfunctions = createStepFunctionsService(ctxFor('stepfunctions'), { lambda });
    const sqs = createSqsService(ctxFor('sqs'));
    const sqsClient = localSqsClient(base);
    const sns = await createSnsService(ctxFor('sns'), {
      sqs: sqsClient,
      certPort: Number(process.env.LOCAL_CLOUD_SNS_CERT_PORT ?? 0),
      ...options.sns,
    });
    const services: LocalCloudServices = {
      inbox,
      dynamodb,
      cognito,
      lambda,
      stepfunctions,
      sqs,
      sns,
    };
    for (const service of Object.values(services) as LocalService[]) gateway.register(service);
    if (backend.appSync) {
      services.appsync = createAppSyncService(
        ctxFor('appsync'),
        await appSyncConfigFromBackend(backend, {
          cognito,
          endpoint: base.baseUrl,
          region: base.region,
        }),
      );
      gateway.register(services.appsync);
    }
    // Deploying the tables goes through the wire, as CloudFormation calls DynamoDB; health
    // stays 503 until the backend is deployed, so waiters do not start early.
    await createTables(localClient(base), backend.tables, (message) => log.warn(message));
    await deployStateMachines(localSfnClient(base), backend.stateMachines);
    const queues = backend.queues ?? [];
    await deployQueues(sqsClient, queues);
    const outputs = await options.backend?.outputs?.(at);
    // Pollers and schedules run once everything they call exists, as after a deployment.
    // Schedules first: an invalid expression fails the start before any poller runs.
    const schedules = startSchedules({
      ctx: ctxFor('scheduler'),
      lambda,
      schedules: backend.schedules ?? [],
    });
    const eventSources = startEventSourceMappings({
      ctx: ctxFor('event-sources'),
      lambda,
      mappings: backend.eventSourceMappings ?? [],
      sqs: sqsClient,
      queueUrlOf: (arn) => queues.find((queue) => queue.arn === arn)?.url,
    });
    gateway.ready = true;

    let closed = false;
    return {
      url: base.baseUrl,
      port,
      region: base.region,
      outputs,
      backend,
      services,
      eventSources,
      schedules,
      credentials: LOCAL_CREDENTIALS,
      async close() {
        if (closed) return;
        closed = true;
        await schedules.close();
        await eventSources.close();
        await gateway.close();
        db.close();
      },
    };
  } catch (error) {
    await gateway.close();
    db.close();
    throw error;
  }
}

function localSfnClient(ctx: ServiceContext): SFNClient {
  return new SFNClient({
    endpoint: ctx.baseUrl,
    region: ctx.region,
    credentials: LOCAL_CREDENTIALS,
  });
}

function localSqsClient(ctx: ServiceContext): SQSClient {
  return new SQSClient({
    endpoint: ctx.baseUrl,
    region: ctx.region,
    credentials: LOCAL_CREDENTIALS,
  });
}

function localClient(ctx: ServiceContext): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: ctx.baseUrl,
    region: ctx.region,
    credentials: LOCAL_CREDENTIALS,
  });
}
