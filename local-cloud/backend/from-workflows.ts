import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { functionNameFromPlaceholder, kebabToPascal, localFunctionArn } from '../lambda/naming';
import { placeholdersIn, stateMachineArn } from '../stepfunctions/definitions/machines';
import type { LocalBackend, LocalFunction } from './model';

/**
 * A backend described by files instead of a synthesized assembly: every `*.asl.json` under
 * `workflowsDir` is a state machine (`order-workflow.asl.json` -> `OrderWorkflow`), and every
 * `${XxxFunctionArn}` placeholder in it names the function `xxx` whose code is
 * `<functionsDir>/xxx/handler.ts`. For tests and benchmarks of the Step Functions stand-in;
 * the app's own backend always comes from its assembly.
 */
export function workflowsBackend(options: {
  workflowsDir: string;
  functionsDir: string;
  region: string;
  /** Per-function settings a template would carry (timeout, memory, environment). */
  functionSettings?: Partial<Omit<LocalFunction, 'name'>>;
}): LocalBackend {
  const functions = new Map<string, LocalFunction>();
  const stateMachines = aslFiles(options.workflowsDir).map((file) => {
    const definitionString = readFileSync(file, 'utf8');
    const substitutions: Record<string, string> = {};
    for (const key of placeholdersIn(definitionString)) {
      const name = functionNameFromPlaceholder(key);
      if (!name) continue;
      substitutions[key] = localFunctionArn(options.region, name);
      const codePath = path.join(options.functionsDir, name, 'handler.ts');
      if (!functions.has(name)) {
        functions.set(name, {
          name,
          environment: {},
          unresolvedEnvironment: {},
          timeoutSeconds: 60,
          ...options.functionSettings,
          ...(existsSync(codePath) ? { code: { path: codePath } } : {}),
        });
      }
    }
    const name = kebabToPascal(path.basename(file).replace(/\.asl\.json$/, ''));
    return {
      name,
      arn: stateMachineArn(options.region, name),
      type: 'STANDARD',
      definitionString,
      substitutionKeys: Object.keys(substitutions),
      substitutions,
    };
  });
  return { tables: [], functions: [...functions.values()], stateMachines };
}

function aslFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...aslFiles(full));
    else if (entry.name.endsWith('.asl.json')) out.push(full);
  }
  return out.sort();
}
