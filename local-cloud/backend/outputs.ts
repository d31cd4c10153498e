import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_CLIENT_CONFIG_VERSION,
  generateClientConfig,
  type ClientConfig,
} from '@aws-amplify/client-config';
import type { CfnResource } from './assembly-files';
import type { LocalEnvironment } from './local-values';
import { loadAssembly, type Assembly } from './read-assembly';

type ClientProvider = NonNullable<Parameters<typeof generateClientConfig>[2]>;

export type LocalOutputsOptions = Pick<LocalEnvironment, 'baseUrl' | 'region'> &
  Partial<Omit<LocalEnvironment, 'baseUrl' | 'region'>>;

/** `amplify_outputs.json` as the local cloud serves it: the schema's fields plus our custom one. */
export type LocalOutputs = ClientConfig & {
  custom: Record<string, unknown> & { userPoolEndpoint: string };
};

/**
 * Produces `amplify_outputs.json` for the local cloud with Amplify's own generator
 * (`generateClientConfig`, the code `ampx generate outputs` runs), fed by stub AWS clients
 * that answer from the synthesized assembly evaluated with local values: CloudFormation
 * (GetTemplateSummary, DescribeStacks) and S3 (GetObject of the staged model schema).
 */
export async function generateLocalOutputs(
  assemblyDir: string,
  local: LocalOutputsOptions,
): Promise<LocalOutputs> {
  const assembly = loadAssembly(assemblyDir, local);
  const { model } = assembly;
  const config = (await generateClientConfig(
    { stackName: model.stackName },
    DEFAULT_CLIENT_CONFIG_VERSION,
    stubClients(assembly),
  )) as ClientConfig & { auth?: { identity_pool_id?: string }; custom?: Record<string, unknown> };
  if (config.auth && !model.local.identityPoolId) {
    // Deviation: no local Cognito identity pool. Left in, Amplify would fetch guest/IAM
    // credentials from cognito-identity.amazonaws.com, which is unreachable offline.
    delete config.auth.identity_pool_id;
  }
  return {
    ...config,
    // The outputs schema has no field for a custom Cognito endpoint; the app passes this to
    // Amplify as `Auth.Cognito.userPoolEndpoint` (lib/amplify/configure.ts).
    custom: { ...config.custom, userPoolEndpoint: model.local.baseUrl },
  } as LocalOutputs;
}

function stubClients(assembly: Assembly): ClientProvider {
  const { model, files } = assembly;
  const commandName = (command: unknown) => (command as object).constructor.name;
  const input = (command: unknown) => (command as { input: Record<string, unknown> }).input;
  const refuse = (service: string, command: unknown): never => {
    throw new Error(
      `The local outputs generator has no stub for ${service} ${commandName(command)}`,
    );
  };

  const cloudFormation = {
    send: async (command: unknown) => {
      const name = commandName(command);
      const stackName = input(command).StackName;
      if (stackName !== model.stackName) {
        throw new Error(`Stack with id ${String(stackName)} does not exist`);
      }
      if (name === 'GetTemplateSummaryCommand') {
        return { Metadata: JSON.stringify(files.root.template.Metadata ?? {}) };
      }
      if (name === 'DescribeStacksCommand') {
        return {
          Stacks: [
            {
              StackName: model.stackName,
              StackStatus: 'CREATE_COMPLETE',
              Outputs: Object.entries(model.outputs).map(([OutputKey, OutputValue]) => ({
                OutputKey,
                OutputValue,
              })),
            },
          ],
        };
      }
      return refuse('CloudFormation', command);
    },
  };

  const s3 = {
    send: async (command: unknown) => {
      if (commandName(command) !== 'GetObjectCommand') return refuse('S3', command);
      const { Bucket, Key } = input(command) as { Bucket: string; Key: string };
      const file = deployedObject(assembly, Bucket, Key);
      if (!file)
        throw new Error(`NoSuchKey: s3://${Bucket}/${Key} is not deployed by the assembly`);
      const body = readFileSync(file, 'utf8');
      return { Body: { transformToString: async () => body } };
    },
  };

  const amplify = { send: async (command: unknown) => refuse('Amplify', command) };
  return {
    getS3Client: () => s3,
    getAmplifyClient: () => amplify,
    getCloudFormationClient: () => cloudFormation,
  } as unknown as ClientProvider;
}

/**
 * Where an object of a `Custom::CDKBucketDeployment` lives in the assembly: the deployment's
 * source zip is staged there unzipped (`asset.<hash>/`).
 */
function deployedObject(assembly: Assembly, bucket: string, key: string): string | undefined {
  for (const stack of assembly.files.stacks) {
    for (const resource of Object.values(stack.template.Resources ?? {}) as CfnResource[]) {
      if (resource.Type !== 'Custom::CDKBucketDeployment') continue;
      const props = resource.Properties ?? {};
      if (assembly.evaluate(stack, props.DestinationBucketName) !== bucket) continue;
      const prefix = String(props.DestinationKeyPrefix ?? '');
      if (!key.startsWith(prefix)) continue;
      for (const sourceKey of (props.SourceObjectKeys ?? []) as unknown[]) {
        const hash = /([0-9a-f]{64})/.exec(JSON.stringify(sourceKey))?.[1];
        const dir = hash ? assembly.files.assets.get(hash) : undefined;
        if (!dir || !existsSync(dir) || !statSync(dir).isDirectory()) continue;
        const file = path.join(dir, key.slice(prefix.length));
        if (existsSync(file)) return file;
      }
    }
  }
  return undefined;
}
