import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadSchemaFromAssembly } from '@/local-cloud/appsync';
import { ASSEMBLY_DIR } from './appsync-fixtures/harness';

const normalize = (sdl: string) => print(parse(sdl));

/**
 * The contract tests load a trimmed copy of the synthesized data stack. This synthesizes the
 * real backend offline (no bundling) and checks that AppSync would receive the same SDL, so
 * the fixture cannot drift from `amplify/` (including backend.ts's IAM-only rewrite).
 */
describe('AppSync SDL from the synthesized backend', () => {
  it('matches the fixture assembly the contract tests use', { timeout: 120_000 }, () => {
    const outdir = mkdtempSync(join(tmpdir(), 'appsync-synth-'));
    try {
      const synth = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'scripts/synth.ts', outdir, '--skip-bundling'],
        { encoding: 'utf8' },
      );
      expect(synth.status, synth.stderr).toBe(0);
      expect(normalize(loadSchemaFromAssembly(outdir))).toBe(
        normalize(loadSchemaFromAssembly(ASSEMBLY_DIR)),
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
