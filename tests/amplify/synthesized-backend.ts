import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthEnv } from '../../scripts/amplify-synth-env';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface SynthesizedBackend {
  dir: string;
  seconds: number;
  /** File name -> parsed template (root and nested). */
  templates: Map<string, CfnTemplate>;
  asset(hash: string, extension: string): string;
  dispose(): void;
}

/**
 * Synthesizes `amplify/backend.ts` the way `npm run synth` does, into a temp folder, without
 * bundling the Lambdas (these tests read templates only).
 */
export function synthesizeBackend(): SynthesizedBackend {
  const dir = mkdtempSync(join(tmpdir(), 'amplify-synth-'));
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'amplify/backend.ts'], {
    env: synthEnv({ outdir: dir, skipBundling: true }),
    encoding: 'utf8',
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(`synthesis failed (${result.status}):\n${result.stderr}\n${result.stdout}`);
  }
  const templates = new Map<string, CfnTemplate>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.template.json'))) {
    templates.set(file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as CfnTemplate);
  }
  return {
    dir,
    seconds,
    templates,
    asset: (hash, extension) => readFileSync(join(dir, `asset.${hash}.${extension}`), 'utf8'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function resourcesOfType(
  templates: Map<string, CfnTemplate>,
  type: string,
): [string, CfnResource][] {
  return [...templates.values()].flatMap((t) =>
    Object.entries(t.Resources).filter(([, r]) => r.Type === type),
  );
}

/** `s3://bucket/<hash>.<ext>` inside an Fn::Sub -> `<hash>`. */
export function assetHash(s3Location: unknown): string {
  const text = JSON.stringify(s3Location);
  const match = /\/([0-9a-f]{64})\.\w+/.exec(text);
  if (!match?.[1]) throw new Error(`not an asset location: ${text}`);
  return match[1];
}
