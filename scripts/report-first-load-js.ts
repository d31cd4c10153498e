/**
 * Prints the first-load JavaScript of every App Router page, gzipped, after `next build`.
 * Next.js 16 no longer prints this table itself. A page's first load is the shared runtime
 * (`rootMainFiles`) plus the client chunks of every segment on its path (layout, error,
 * loading, not-found, page), read from the build's manifests — what a browser fetches on a
 * cold visit. Budget for `/` is 120 kB; the script warns past it (sizes are not timings,
 * but we keep the build green and let the README carry the figure).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 120;
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

const gzipCache = new Map<string, number>();
function gzippedBytes(file: string): number {
  let size = gzipCache.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(join(nextDir, file)), { level: 9 }).length;
    gzipCache.set(file, size);
  }
  return size;
}

if (!existsSync(appDir)) {
  console.error('No build found: run `next build` first.');
  process.exit(1);
}

const rows: { route: string; kb: number }[] = [];
for (const manifestPath of clientManifests(appDir)) {
  const pageDir = relative(appDir, manifestPath).replace(
    /\/?page_client-reference-manifest\.js$/,
    '',
  );
  const route = `/${pageDir}`.replace(/\/$/, '') || '/';
  if (route.startsWith('/_')) continue;
  const buildManifest = JSON.parse(
    readFileSync(join(appDir, pageDir, 'page', 'build-manifest.json'), 'utf8'),
  ) as { rootMainFiles: string[] };
  const files = new Set(buildManifest.rootMainFiles);
  for (const manifest of Object.values(loadManifest(manifestPath))) {
    for (const chunks of Object.values(manifest.entryJSFiles ?? {}))
      chunks.forEach((c) => files.add(c));
  }
  const bytes = [...files].reduce((sum, file) => sum + gzippedBytes(file), 0);
  rows.push({ route: route === '/' ? '/' : route, kb: bytes / 1024 });
}

rows.sort((a, b) => a.route.localeCompare(b.route));
console.log('\nFirst-load JavaScript (gzipped):');
for (const { route, kb } of rows)
  console.log(`  ${route.padEnd(28)} ${kb.toFixed(1).padStart(7)} kB`);
const home = rows.find((row) => row.route === '/');
if (home && home.kb > BUDGET_KB) {
  console.warn(`\nWarning: / loads ${home.kb.toFixed(1)} kB, over the ${BUDGET_KB} kB budget.`);
}
