import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The local cloud reads the synthesized backend. Synthesis takes ~8 s, so the assembly is
 * cached and rebuilt only when a file under `amplify/` (or the lockfile) changes.
 */
export function ensureAssembly(cacheDir: string): string {
  const assemblyDir = path.join(cacheDir, 'assembly');
  const stamp = path.join(assemblyDir, '.source-hash');
  const hash = sourceHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return assemblyDir;

  console.log('Synthesizing the Amplify backend (amplify/ changed)…');
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/synth.ts', assemblyDir, '--skip-bundling'],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error('Synthesis failed: see the output above.');
  writeFileSync(stamp, hash);
  return assemblyDir;
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const files = ['package-lock.json', ...walk('amplify')].sort();
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}
