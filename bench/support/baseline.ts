import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The local cloud as it was at `commit`, extracted under `.bench/baseline/<commit>/` (inside the
 * repository, so its imports resolve against this checkout's node_modules), for measuring an old
 * design beside the new one in the same run. Returns the extracted `local-cloud` directory.
 */
export function baselineLocalCloud(commit: string): string {
  const root = path.resolve('.bench/baseline', commit);
  const dir = path.join(root, 'local-cloud');
  if (!existsSync(path.join(dir, 'index.ts'))) {
    mkdirSync(root, { recursive: true });
    const archive = execFileSync('git', ['archive', '--format=tar', commit, 'local-cloud']);
    execFileSync('tar', ['-x', '-C', root], { input: archive });
  }
  return dir;
}
