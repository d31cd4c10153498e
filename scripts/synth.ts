/**
 * Synthesizes the Amplify backend offline into `cdk.out/` (gitignored): no AWS account, no
 * network. Run with `tsx scripts/synth.ts [outdir] [--skip-bundling]`.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { synthEnv } from './amplify-synth-env';

const args = process.argv.slice(2);
const outdir = resolve(args.find((arg) => !arg.startsWith('--')) ?? 'cdk.out');
const started = performance.now();
const result = spawnSync(process.execPath, ['--import', 'tsx', 'amplify/backend.ts'], {
  env: synthEnv({ outdir, skipBundling: args.includes('--skip-bundling') }),
  stdio: 'inherit',
});
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (result.status !== 0) {
  console.error(`Synthesis failed after ${seconds} s (exit ${result.status ?? result.signal}).`);
  process.exit(result.status ?? 1);
}
console.log(`Synthesized the cloud assembly into ${outdir} in ${seconds} s.`);
