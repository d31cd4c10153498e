import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument, PROBLEM_TYPES, type HttpMethod } from '@/lib/api/openapi';

const root = process.cwd();
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

function files(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, keep);
    return keep(path) ? [path] : [];
  });
}

/** `app/api/orders/[id]/route.ts` → `/api/orders/{id}` (the App Router's file convention). */
function apiPath(routeFile: string): string {
  const segments = relative(join(root, 'app'), routeFile).split(sep).slice(0, -1);
  return `/${segments
    .filter((segment) => !/^\(.*\)$/.test(segment))
    .map((segment) => segment.replace(/^\[(.+)\]$/, '{$1}'))
    .join('/')}`;
}

const routeFiles = files(join(root, 'app', 'api'), (path) => /[/\\]route\.tsx?$/.test(path));

/** Every `type: '/problems/…'` literal in the server code, with the status written next to it. */
function problemLiterals(file: string): { type: string; status?: number }[] {
  const source = readFileSync(file, 'utf8');
  return [
    ...source.matchAll(/type:\s*['"`](\/problems\/[a-z0-9-]+)['"`],?(?:\s*status:\s*(\d{3}))?/g),
  ].map(([, type, status]) => ({ type: type!, status: status ? Number(status) : undefined }));
}

const serverFiles = [
  ...routeFiles,
  ...files(join(root, 'lib'), (path) => /\.tsx?$/.test(path) && !/\.test\.tsx?$/.test(path)),
].filter((path) => !path.endsWith(join('lib', 'api', 'openapi.ts')));
const codeProblems = serverFiles.flatMap((file) =>
  problemLiterals(file).map((literal) => ({ ...literal, file })),
);

/** The `lib/` modules a route file imports itself (`@/lib/…`): their problems are its answers. */
function libImports(routeFile: string): string[] {
  const source = readFileSync(routeFile, 'utf8');
  return [...source.matchAll(/from\s+['"]@\/(lib\/[^'"]+)['"]/g)].map(([, module]) =>
    join(root, `${module}.ts`),
  );
}

/** The routes that return a file's problem literals: the route file, or routes importing it. */
function routesReturning(file: string): string[] {
  return routeFiles.filter((route) => route === file || libImports(route).includes(file));
}

/** The problem types an operation's responses name, keyed by the status they are under. */
function documentedProblems(path: string): { type: string; status: number }[] {
  return Object.values(openApiDocument.paths[path] ?? {}).flatMap((operation) =>
    Object.entries(operation!.responses).flatMap(([status, response]) => {
      const schema = response.content?.['application/problem+json']?.schema as
        { allOf?: { properties?: { type?: { enum?: string[] } } }[] } | undefined;
      const types = schema?.allOf?.flatMap((part) => part.properties?.type?.enum ?? []) ?? [];
      return types
        .filter((type) => type !== 'about:blank')
        .map((type) => ({ type, status: Number(status) }));
    }),
  );
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and every $ref resolves', () => {
    expect(openApiDocument.openapi).toBe('3.1.0');
    const refs = [...JSON.stringify(openApiDocument).matchAll(/"\$ref":"#\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(0);
    for (const [, pointer] of refs) {
      const target = pointer!
        .split('/')
        .reduce<unknown>(
          (node, key) => (node as Record<string, unknown> | undefined)?.[key],
          openApiDocument,
        );
      expect(target, `#/${pointer}`).toBeDefined();
    }
  });

  it('has exactly the paths and methods of the route files under app/api', async () => {
    expect(routeFiles.length).toBeGreaterThan(0);
    const fromCode: Record<string, string[]> = {};
    for (const file of routeFiles) {
      const mod = (await import(file)) as Record<string, unknown>;
      fromCode[apiPath(file)] = HTTP_METHODS.filter((method) => typeof mod[method] === 'function')
        .map((method) => method.toLowerCase())
        .sort();
    }
    const fromDocument = Object.fromEntries(
      Object.entries(openApiDocument.paths).map(([path, item]) => [
        path,
        Object.keys(item).sort() as HttpMethod[],
      ]),
    );
    expect(fromDocument).toEqual(fromCode);
  });

  it('documents every problem type the code returns, with its status, on its route', () => {
    expect(codeProblems.length).toBeGreaterThan(0);
    for (const { type, status, file } of codeProblems) {
      const where = relative(root, file);
      expect(Object.keys(PROBLEM_TYPES), `${type} (${where})`).toContain(type);
      if (status !== undefined) {
        expect(PROBLEM_TYPES[type as keyof typeof PROBLEM_TYPES].status, where).toBe(status);
      }
      // A literal in a route file, or in a lib module the route imports, must be listed on
      // that route's responses; one no route returns directly would escape this check.
      expect(routesReturning(file), `${type} (${where}) is returned by no route`).not.toEqual([]);
      for (const route of routesReturning(file)) {
        expect(
          documentedProblems(apiPath(route)).map((problem) => problem.type),
          `${type} (${where}) on ${apiPath(route)}`,
        ).toContain(type);
      }
    }
  });

  it('lists each documented problem type under its own status', () => {
    const all = Object.keys(openApiDocument.paths).flatMap(documentedProblems);
    expect(all.length).toBeGreaterThan(0);
    for (const { type, status } of all) {
      expect(Object.keys(PROBLEM_TYPES)).toContain(type);
      expect(PROBLEM_TYPES[type as keyof typeof PROBLEM_TYPES].status, type).toBe(status);
    }
    expect(new Set(all.map((problem) => problem.type))).toEqual(
      new Set(Object.keys(PROBLEM_TYPES)),
    );
  });

  it('documents no problem type the code does not return', () => {
    const inCode = new Set(codeProblems.map((problem) => problem.type));
    const orphans = Object.keys(PROBLEM_TYPES).filter((type) => !inCode.has(type));
    expect(orphans).toEqual([]);
  });

  it('is what /api/openapi.json serves', async () => {
    const { GET } = await import('@/app/api/openapi.json/route');
    const response = GET();
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });
});
