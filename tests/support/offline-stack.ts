import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import type { IntakeMode } from '../../amplify/intake/intake-mode';
import { MemoryStorage } from './memory-storage';
import { amplifyBackend, createClock, type LocalCloud } from '../../local-cloud';
import { ensureAssembly } from '../../scripts/assembly-cache';
import { DEMO_ACCOUNTS, seedDemo, seedTargetOf } from '../../scripts/demo-seed';
import { CACHE_DIR } from './global-setup';
import { startTestCloud } from './local-cloud';

export interface OfflineStack {
  cloud: LocalCloud;
  outputsPath: string;
  /** A Cognito ID token for a seeded account, signed in through aws-amplify (SRP). */
  idToken(account: { email: string; password: string }): Promise<string>;
  /** Creates (or resets the password of) a shopper and returns its ID token. */
  shopper(email: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The whole offline backend in this process on a random port, in memory, seeded, with the
 * environment the app's server code reads (outputs file, AWS endpoint, dummy credentials), so
 * route handlers can be called directly against real local services.
 */
export async function startOfflineStack(
  options: {
    stock?: Record<string, number>;
    timeScale?: number;
    /**
     * The backend's intake mode as `custom.orderIntakeMode` tells the app (default: what the
     * synthesized backend says, `queue`). `direct` writes the outputs a backend synthesized with
     * ORDER_INTAKE_MODE=direct has; the intake queue stays deployed in both modes.
     */
    intakeMode?: IntakeMode;
    /** Overrides `custom.orderIntakeQueueUrl`: a test of a SendMessage that fails. */
    intakeQueueUrl?: string;
  } = {},
) {
  const assemblyDir = ensureAssembly(CACHE_DIR);
  const cloud = await startTestCloud({
    backend: amplifyBackend({ assemblyDir }),
    ...(options.timeScale ? { clock: createClock(options.timeScale) } : {}),
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'offline-stack-'));
  const outputsPath = path.join(dir, 'amplify_outputs.json');
  const outputs = cloud.outputs!;
  writeFileSync(
    outputsPath,
    JSON.stringify({
      ...outputs,
      custom: {
        ...outputs.custom,
        ...(options.intakeMode ? { orderIntakeMode: options.intakeMode } : {}),
        ...(options.intakeQueueUrl ? { orderIntakeQueueUrl: options.intakeQueueUrl } : {}),
      },
    }),
  );
  await seedDemo(seedTargetOf(cloud), { stock: options.stock });
  process.env.AMPLIFY_OUTPUTS = outputsPath;
  process.env.AWS_ENDPOINT_URL = cloud.url;
  process.env.AWS_REGION = cloud.region;
  process.env.AWS_ACCESS_KEY_ID = cloud.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = cloud.credentials.secretAccessKey;

  Amplify.configure(outputs);
  const config = Amplify.getConfig();
  Amplify.configure({
    ...config,
    Auth: { Cognito: { ...config.Auth!.Cognito, userPoolEndpoint: cloud.url } },
  } as Parameters<typeof Amplify.configure>[0]);
  cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());

  const tokens = new Map<string, string>();
  // Amplify holds one signed-in user per process: sign-ins are serialized.
  let queue: Promise<unknown> = Promise.resolve();
  const idToken = (account: { email: string; password: string }) => {
    const cached = tokens.get(account.email);
    if (cached) return Promise.resolve(cached);
    const next = queue.then(async () => {
      await signOut().catch(() => {});
      await signIn({ username: account.email, password: account.password });
      const token = (await fetchAuthSession()).tokens!.idToken!.toString();
      tokens.set(account.email, token);
      return token;
    });
    queue = next.catch(() => {});
    return next;
  };

  const cognito = cloud.services.cognito;
  const stack: OfflineStack = {
    cloud,
    outputsPath,
    idToken,
    async shopper(email) {
      const account = { email, password: 'Test-shopper-1' };
      await cognito.seedUser(account);
      return idToken(account);
    },
    async close() {
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

export { DEMO_ACCOUNTS };
