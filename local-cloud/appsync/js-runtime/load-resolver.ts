import { readFileSync } from 'node:fs';
import { Script, createContext } from 'node:vm';
import { createAppSyncUtils, type InvocationState } from './utils';

type Handler = (ctx: unknown) => unknown;

export interface LoadedResolver {
  file: string;
  /** Runs one handler with its own invocation state (filters, appended errors). */
  run(handler: 'request' | 'response', ctx: unknown, state: InvocationState): unknown;
}

const UTILS_MODULE = '@aws-appsync/utils';
const IMPORT = /^\s*import\s+([\s\S]*?)\s+from\s+['"]([^'"]+)['"]\s*;?/gm;

/**
 * Turns the resolver's ES module into a script: AppSync lets unbundled resolvers import only
 * `@aws-appsync/utils`, so that import is the only one rewritten; anything else is refused.
 */
function toScript(source: string, file: string): string {
  const body = source
    .replace(IMPORT, (_match, clause: string, from: string) => {
      if (from !== UTILS_MODULE) {
        throw new Error(`${file}: APPSYNC_JS cannot import '${from}' without bundling`);
      }
      const trimmed = clause.trim();
      const namespace = trimmed.match(/^\*\s+as\s+(\w+)$/);
      if (namespace) return `const ${namespace[1]} = __appsyncUtils;`;
      const named = trimmed.match(/^\{([\s\S]*)\}$/);
      if (!named) throw new Error(`${file}: unsupported import form '${trimmed}'`);
      const bindings = named[1]!
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean)
        .map((b) => b.replace(/^(\w+)\s+as\s+(\w+)$/, '$1: $2'));
      return `const { ${bindings.join(', ')} } = __appsyncUtils;`;
    })
    .replace(/^export\s+(function|const|let)\s/gm, '$1 ');
  return `${body}\n;({ request: typeof request === 'function' ? request : undefined, response: typeof response === 'function' ? response : undefined });`;
}

/** Cross-realm results become plain host values, as the JSON hop between AppSync steps does. */
const plain = (value: unknown): unknown =>
  value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);

export function loadResolver(file: string, log?: (...args: unknown[]) => void): LoadedResolver {
  let state: InvocationState | undefined;
  const utils = createAppSyncUtils(() => {
    if (!state) throw new Error('AppSync utilities used outside a resolver invocation');
    return state;
  });
  const context = createContext({
    __appsyncUtils: utils,
    console: { log: log ?? (() => {}), error: log ?? (() => {}), warn: log ?? (() => {}) },
  });
  const handlers = new Script(toScript(readFileSync(file, 'utf8'), file), {
    filename: file,
  }).runInContext(context) as { request?: Handler; response?: Handler };
  return {
    file,
    run(name, ctx, invocation) {
      const handler = handlers[name];
      if (!handler) throw new Error(`${file} exports no ${name} function`);
      state = invocation;
      try {
        return plain(handler(ctx));
      } finally {
        state = undefined;
      }
    },
  };
}
