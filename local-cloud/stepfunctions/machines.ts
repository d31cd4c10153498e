import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LOCAL_ACCOUNT_ID } from '../core/constants';
import type { ResolveHandler } from '../functions/runner';
import {
  functionNameFromPlaceholder,
  functionNameFromReference,
  kebabToPascal,
  localFunctionArn,
} from '../functions/naming';
import type { StateMachineDefinition } from './asl';

/** One state machine the service serves: the real one is just one more entry. */
export interface StateMachineEntry {
  /** PascalCase name; the ARN is `arn:aws:states:<region>:000000000000:stateMachine:<name>`. */
  name: string;
  definitionPath: string;
  /** `DefinitionSubstitutions` values, keyed without `${}`. */
  substitutions: Record<string, string>;
  resolveHandler: ResolveHandler;
}

export interface LoadedStateMachine {
  name: string;
  arn: string;
  definition: StateMachineDefinition;
  /** The substituted definition as text, for DescribeStateMachine. */
  definitionText: string;
  resolveHandler: ResolveHandler;
  createdAt: number;
}

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Replaces `${Key}` everywhere, like CloudFormation's DefinitionSubstitutions; all must resolve. */
export function substitute(
  text: string,
  substitutions: Record<string, string>,
  file: string,
): string {
  const missing = placeholdersIn(text).filter((key) => !(key in substitutions));
  if (missing.length > 0) {
    throw new Error(
      `${file}: no local value for DefinitionSubstitutions ${missing.map((k) => `\${${k}}`).join(', ')}`,
    );
  }
  return text.replace(PLACEHOLDER, (_, key: string) => substitutions[key]!);
}

export function stateMachineArn(region: string, name: string): string {
  return `arn:aws:states:${region}:${LOCAL_ACCOUNT_ID}:stateMachine:${name}`;
}

/** `order-workflow.asl.json` -> `OrderWorkflow`. */
export function stateMachineNameFromFile(file: string): string {
  return kebabToPascal(path.basename(file).replace(/\.asl\.json$/, ''));
}

/** Function ARN -> `<functionsDir>/<kebab-name>/handler.ts`, for functions that exist. */
export function handlerResolverForDir(functionsDir: string): ResolveHandler {
  return (reference) => {
    const name = functionNameFromReference(reference);
    if (!name) return undefined;
    const modulePath = path.join(functionsDir, name, 'handler.ts');
    return existsSync(modulePath) ? { modulePath, exportName: 'handler' } : undefined;
  };
}

/** Substitutions by the contract's naming rule: every `${XxxFunctionArn}` -> a local ARN. */
export function functionSubstitutions(text: string, region: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of placeholdersIn(text)) {
    const fn = functionNameFromPlaceholder(key);
    if (fn) out[key] = localFunctionArn(region, fn);
  }
  return out;
}

function findAslFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findAslFiles(full));
    else if (entry.name.endsWith('.asl.json')) out.push(full);
  }
  return out.sort();
}

/**
 * Extra (non-function) placeholder values from `<aslDir>/workflow/substitutions.ts`, exported as
 * `EXTRA_SUBSTITUTION_KEYS`: either `{ Key: value }` or a list of keys (value = `local-<Key>`).
 */
async function extraSubstitutions(aslDir: string): Promise<Record<string, string>> {
  const file = path.join(aslDir, 'workflow', 'substitutions.ts');
  if (!existsSync(file)) return {};
  const mod = (await import(pathToFileURL(file).href)) as { EXTRA_SUBSTITUTION_KEYS?: unknown };
  const extra = mod.EXTRA_SUBSTITUTION_KEYS;
  if (Array.isArray(extra))
    return Object.fromEntries(extra.map((k) => [String(k), `local-${String(k)}`]));
  if (extra && typeof extra === 'object') {
    return Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)]));
  }
  return {};
}

/**
 * Entries for every `*.asl.json` under `aslDir` (default `amplify/`), with function ARNs by the
 * naming rule and handlers from `functionsDir` (default `amplify/functions`). No files, no
 * entries: the backend may not have written its workflow yet.
 */
export async function loadAmplifyStateMachines(
  options: { rootDir?: string; aslDir?: string; functionsDir?: string; region?: string } = {},
): Promise<StateMachineEntry[]> {
  const root = options.rootDir ?? process.cwd();
  const aslDir = options.aslDir ?? path.join(root, 'amplify');
  const functionsDir = options.functionsDir ?? path.join(aslDir, 'functions');
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const extra = await extraSubstitutions(aslDir);
  return findAslFiles(aslDir).map((definitionPath) => ({
    name: stateMachineNameFromFile(definitionPath),
    definitionPath,
    substitutions: {
      ...functionSubstitutions(readFileSync(definitionPath, 'utf8'), region),
      ...extra,
    },
    resolveHandler: handlerResolverForDir(functionsDir),
  }));
}

type AslValidator = (definition: unknown) => {
  isValid: boolean;
  errorsText: (sep?: string) => string;
};
const validateAsl = createRequire(import.meta.url)('asl-validator') as AslValidator;

export function loadStateMachine(
  entry: StateMachineEntry,
  region: string,
  now: number,
): LoadedStateMachine {
  const text = substitute(
    readFileSync(entry.definitionPath, 'utf8'),
    entry.substitutions,
    entry.definitionPath,
  );
  const definition = JSON.parse(text) as StateMachineDefinition;
  const result = validateAsl(definition);
  if (!result.isValid) {
    throw new Error(`${entry.definitionPath}: invalid ASL: ${result.errorsText('; ')}`);
  }
  return {
    name: entry.name,
    arn: stateMachineArn(region, entry.name),
    definition,
    definitionText: text,
    resolveHandler: entry.resolveHandler,
    createdAt: now,
  };
}
