/**
 * `npm run dev`: the whole product offline, with one command.
 *   1. synthesizes `amplify/` (cached until its sources change),
 *   2. starts the local cloud (Cognito, DynamoDB, Step Functions, Lambda, AppSync) on :4566,
 *   3. writes `amplify_outputs.json`, seeds demo stock and three accounts through the AWS SDK,
 *   4. starts Next.js on :3000 against it. Ctrl-C stops everything; data stays in `.local-cloud/`.
 *
 * Flags: `--reset` starts from empty data; `--no-app` runs only the local cloud (e2e tests use it).
 * Env: LOCAL_CLOUD_PORT, LOCAL_CLOUD_DATA_DIR (`:memory:` for throwaway runs), PORT (Next.js),
 * AMPLIFY_OUTPUTS (where to write the outputs file).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { amplifyBackend, PortInUseError, startLocalCloud } from '../local-cloud';
import { ensureAssembly } from './assembly-cache';
import { DEMO_ACCOUNTS, seedDemo, seedTargetOf } from './demo-seed';

const started = performance.now();
const args = new Set(process.argv.slice(2));
const dataDir = process.env.LOCAL_CLOUD_DATA_DIR ?? '.local-cloud';
const cacheDir = path.resolve('.local-cloud-cache');
if (args.has('--reset') && dataDir !== ':memory:') {
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`Reset: removed ${dataDir}/`);
}

const assemblyDir = ensureAssembly(cacheDir);
let cloud;
try {
  cloud = await startLocalCloud({
    dataDir,
    backend: amplifyBackend({ assemblyDir }),
    onCode: ({ email, code, purpose }) =>
      console.log(`\n  ✉  ${purpose} code for ${email ?? 'user'}: ${code}\n`),
  });
} catch (error) {
  console.error(error instanceof PortInUseError ? error.message : error);
  process.exit(error instanceof PortInUseError ? 2 : 1);
}
const outputs = cloud.outputs!;
// AMPLIFY_OUTPUTS moves the outputs file (the app's server reads the same variable).
const outputsPath = path.resolve(process.env.AMPLIFY_OUTPUTS ?? 'amplify_outputs.json');
writeFileSync(outputsPath, `${JSON.stringify(outputs, null, 2)}\n`);
await seedDemo(seedTargetOf(cloud));

let app: ChildProcess | undefined;
if (!args.has('--no-app')) {
  app = spawn(
    process.execPath,
    [createRequire(import.meta.url).resolve('next/dist/bin/next'), 'dev'],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        // The app's AWS SDK clients reach the local cloud through the SDK's standard variables.
        AWS_ENDPOINT_URL: cloud.url,
        AWS_REGION: cloud.region,
        AWS_ACCESS_KEY_ID: cloud.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: cloud.credentials.secretAccessKey,
        // Compiles in the local-only real-time shim (lib/amplify/local-realtime-shim.ts).
        NEXT_PUBLIC_LOCAL_CLOUD: '1',
      },
    },
  );
  app.on('exit', (code) => void shutdown(code ?? 0));
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`
  Local cloud ready on ${cloud.url} in ${seconds} s (data: ${dataDir})
  ${app ? `Storefront: http://localhost:${process.env.PORT ?? 3000}` : 'Storefront not started (--no-app)'}
  Demo accounts:
    shopper    ${DEMO_ACCOUNTS.shopper.email}  /  ${DEMO_ACCOUNTS.shopper.password}
    warehouse  ${DEMO_ACCOUNTS.warehouse.email}  /  ${DEMO_ACCOUNTS.warehouse.password}
    operator   ${DEMO_ACCOUNTS.operator.email}        /  ${DEMO_ACCOUNTS.operator.password}
  Test cards: 4242 4242 4242 4242 (ok) · 4000 0000 0000 0002 (declined) · 4000 0000 0000 0119 (retries)
`);

let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  app?.kill('SIGTERM');
  await cloud!.close();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
