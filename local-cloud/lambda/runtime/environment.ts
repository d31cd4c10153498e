import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a container needs to know about its function, defaults applied. */
export interface ContainerSpec {
  name: string;
  codePath: string;
  exportName: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memorySizeMb: number;
  region: string;
  accountId: string;
}

/**
 * Taken from the local cloud's own environment, because programs a handler spawns need PATH
 * and the AWS SDK looks for its (unused) config files under HOME. Nothing else leaks through:
 * no NODE_OPTIONS, no other function's variables, no developer credentials.
 */
const PASSED_THROUGH = ['PATH', 'HOME'] as const;

/**
 * The environment one execution environment starts with: the function's own variables plus
 * the ones Lambda defines ("Defined runtime environment variables",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 * Lambda refuses reserved keys in a function's configuration, so reserved values win here; the
 * unreserved defaults (LANG, PATH) can be overridden, as in AWS. Credentials are not reserved
 * locally: the caller passes the local pair, as the execution role would.
 * Deviations: `_X_AMZN_TRACE_ID` is never set; in a worker container TZ is informational,
 * because threads share the process's time zone.
 */
export function containerEnvironment(spec: ContainerSpec): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) inherited[name] = value;
  }
  const nodeMajor = process.versions.node.split('.')[0];
  const moduleName = path.basename(spec.codePath).replace(/\.[^.]+$/, '');
  return {
    ...inherited,
    LANG: 'en_US.UTF-8',
    ...spec.environment,
    _HANDLER: `${moduleName}.${spec.exportName}`,
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${nodeMajor}.x`,
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(),
    LAMBDA_TASK_ROOT: path.dirname(spec.codePath),
    LAMBDA_RUNTIME_DIR: fileURLToPath(new URL('.', import.meta.url)),
    TZ: ':UTC',
  };
}

/** One stream per execution environment, shaped like Lambda's `2026/11/20/[$LATEST]<hex>`. */
function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}
