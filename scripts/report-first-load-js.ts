/**
 * Prints the first-load JavaScript of every App Router page, gzipped, after `next build`, and
 * fails the build (exit code 1) when a budgeted page is over its budget or loads aws-amplify up
 * front. Next.js 16 no longer prints this table itself.
 *
 * A page's first load is the shared runtime (`rootMainFiles`) plus the client chunks of every
 * segment on its path (layout, error, loading, not-found, page), read from the build's
 * manifests: what a browser fetches on a cold visit. Each file is gzipped at level 9 and
 * counted once per page.
 *
 * Budgets are in BUDGETS_KB below, the one place they live. Next.js 16 and React 19 alone ship
 * about 133 kB, so 140 kB leaves our own code a few kB on the pages shoppers land on. Sizes are
 * not timings, but a page that grows past its budget should be a decision, not an accident.
 * The aws-amplify check (scripts/first-load-budget.ts) keeps the auth SDK, over 100 kB, out of
 * those pages: it loads by dynamic import once the page is up.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import {
  budgetViolations,
  containsAwsAmplify,
  routeFromPageDir,
  type Budgets,
  type FirstLoadRow,
} from './first-load-budget';

/** Route (as in the URL, route groups removed) → gzipped first-load budget in kB. */
const BUDGETS_KB: Budgets = {
  '/': 140,
  '/products/[slug]': 140,
};

const nextDir = join(process.cwd(), '.next');
const appDir = join(nextDir, 'server', 'app');

interface RscManifest {
  entryJSFiles?: Record<string, string[]>;
}

function clientManifests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return clientManifests(path);
    return name === 'page_client-reference-manifest.js' ? [path] : [];
  });
}

function loadManifest(path: string): Record<string, RscManifest> {
  const sandbox = {
    self: {} as Record<string, unknown>,
    globalThis: {} as Record<string, unknown>,
  };
  sandbox.globalThis = sandbox.self;
  runInContext(readFileSync(path, 'utf8'), createContext(sandbox));
  return (sandbox.self.__RSC_MANIFEST ?? {}) as Record<string, RscManifest>;
}

const chunkCache = new Map<string, { gzipped: number; awsAmplify: boolean }>();
function chunk(file: string) {
  let info = chunkCache.get(file);
  if (!info) {
    const bytes = readFileSync(join(nextDir, file));
    info = {
      gzipped: gzipSync(bytes, { level: 9 }).length,
      awsAmplify: containsAwsAmplify(bytes.toString('utf8')),
    };
    chunkCache.set(file, info);
  }
  return info;
}

if (!existsSync(appDir)) {
  console.error('No build found: run `next build` first.');
  process.exit(1);
}

const rows: FirstLoadRow[] = [];
for (const manifestPath of clientManifests(appDir)) {
  const pageDir = relative(appDir, manifestPath).replace(
    /\/?page_client-reference-manifest\.js$/,
    '',
  );
  const route = routeFromPageDir(pageDir);
  if (route.startsWith('/_')) continue;
  const buildManifest = JSON.parse(
    readFileSync(join(appDir, pageDir, 'page', 'build-manifest.json'), 'utf8'),
  ) as { rootMainFiles: string[] };
  const files = new Set(buildManifest.rootMainFiles);
  for (const manifest of Object.values(loadManifest(manifestPath))) {
    for (const chunks of Object.values(manifest.entryJSFiles ?? {}))
      chunks.forEach((c) => files.add(c));
  }
  const bytes = [...files].reduce((sum, file) => sum + chunk(file).gzipped, 0);
  const awsAmplifyChunks = [...files].filter((file) => chunk(file).awsAmplify);
  rows.push({ route, kb: bytes / 1024, awsAmplifyChunks });
}

rows.sort((a, b) => a.route.localeCompare(b.route));
console.log('\nFirst-load JavaScript (gzipped):');
console.log(`  ${'route'.padEnd(28)} ${'kB'.padStart(7)}  ${'budget'.padStart(6)}  aws-amplify`);
for (const { route, kb, awsAmplifyChunks } of rows) {
  const budget = BUDGETS_KB[route];
  console.log(
    `  ${route.padEnd(28)} ${kb.toFixed(1).padStart(7)}  ${(budget ? String(budget) : '-').padStart(6)}  ${
      awsAmplifyChunks.length > 0 ? 'yes' : 'no'
    }`,
  );
}

const problems = budgetViolations(rows, BUDGETS_KB);
if (problems.length > 0) {
  console.error('\nFirst-load budget failed:');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`\nWithin budget: ${Object.keys(BUDGETS_KB).join(', ')}.`);
