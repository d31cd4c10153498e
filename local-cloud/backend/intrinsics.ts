import type { AssemblyFiles, CfnResource, StackTemplate } from './assembly-files';

/** What a resolver is asked: `Ref` or one `Fn::GetAtt` attribute of one resource. */
export interface ResourceReference {
  stack: StackTemplate;
  logicalId: string;
  resource: CfnResource;
  /** `'Ref'` for `{ Ref }`, else the attribute name of `Fn::GetAtt`. */
  attribute: string;
  constructPath: string | undefined;
  /** Evaluates another value in the same stack (e.g. a property of this resource). */
  evaluate(value: unknown): unknown;
}

/** Maps a resource to its local physical value; `undefined` means "not known here". */
export type ResourceResolver = (reference: ResourceReference) => unknown;

export interface EvaluatorOptions {
  region: string;
  accountId: string;
  resolveResource: ResourceResolver;
}

export class UnresolvableReferenceError extends Error {
  override name = 'UnresolvableReferenceError';
}

export type Evaluate = (stack: StackTemplate, value: unknown) => unknown;

/**
 * A small CloudFormation intrinsic evaluator: Ref (resources, parameters, pseudo parameters),
 * Fn::GetAtt (incl. a nested stack's `Outputs.X`), Fn::Join, Fn::Select, Fn::Split and
 * Fn::Sub. Nested stack parameters are evaluated in the parent, where CloudFormation
 * evaluates them. Anything else throws, naming what it could not resolve.
 */
export function createEvaluator(files: AssemblyFiles, options: EvaluatorOptions): Evaluate {
  const pseudo: Record<string, string> = {
    'AWS::Region': options.region,
    'AWS::AccountId': options.accountId,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::Partition': 'aws',
    'AWS::StackName': files.stackName,
  };
  const childStack = (stack: StackTemplate, logicalId: string) =>
    files.stacks.find((s) => s.parent?.stack === stack && s.parent.logicalId === logicalId);

  const evaluate: Evaluate = (stack, value) => {
    if (Array.isArray(value)) return value.map((item) => evaluate(stack, item));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const [key, argument] = entries[0] ?? [];
    if (entries.length === 1 && key !== undefined) {
      switch (key) {
        case 'Ref':
          return ref(stack, String(argument));
        case 'Fn::GetAtt':
          return getAtt(stack, argument);
        case 'Fn::Join': {
          const [separator, list] = argument as [string, unknown];
          return (evaluate(stack, list) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = argument as [unknown, unknown];
          const items = evaluate(stack, list) as unknown[];
          const i = Number(evaluate(stack, index));
          if (!Array.isArray(items) || !(i in items)) {
            throw new UnresolvableReferenceError(
              `Fn::Select index ${i} out of range in ${stack.file}`,
            );
          }
          return items[i];
        }
        case 'Fn::Split': {
          const [separator, text] = argument as [string, unknown];
          return String(evaluate(stack, text)).split(separator);
        }
        case 'Fn::Sub':
          return sub(stack, argument);
        default:
          if (key.startsWith('Fn::') || key === 'Condition') {
            throw new UnresolvableReferenceError(`${key} is not supported (in ${stack.file})`);
          }
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, evaluate(stack, v)]));
  };

  function ref(stack: StackTemplate, name: string): unknown {
    if (name in pseudo) return pseudo[name];
    const parameter = stack.template.Parameters?.[name];
    if (parameter) {
      const passed = stack.parent?.stack.template.Resources?.[stack.parent.logicalId]?.Properties
        ?.Parameters as Record<string, unknown> | undefined;
      if (stack.parent && passed && name in passed)
        return evaluate(stack.parent.stack, passed[name]);
      if (parameter.Default !== undefined) return parameter.Default;
      throw new UnresolvableReferenceError(`Parameter ${name} of ${stack.file} has no value`);
    }
    return resource(stack, name, 'Ref');
  }

  function getAtt(stack: StackTemplate, argument: unknown): unknown {
    const [logicalId, attribute] =
      typeof argument === 'string'
        ? (argument.split(/\.(.*)/s) as [string, string])
        : (argument as [string, unknown]);
    const attributeName = String(evaluate(stack, attribute));
    const declared = stack.template.Resources?.[logicalId];
    if (declared?.Type === 'AWS::CloudFormation::Stack' && attributeName.startsWith('Outputs.')) {
      const nested = childStack(stack, logicalId);
      const outputName = attributeName.slice('Outputs.'.length);
      const output = nested?.template.Outputs?.[outputName];
      if (!nested || !output) {
        throw new UnresolvableReferenceError(
          `Nested stack ${logicalId} has no output ${outputName} (in ${stack.file})`,
        );
      }
      return evaluate(nested, output.Value);
    }
    return resource(stack, logicalId, attributeName);
  }

  function resource(stack: StackTemplate, logicalId: string, attribute: string): unknown {
    const declared = stack.template.Resources?.[logicalId];
    const label = attribute === 'Ref' ? `Ref ${logicalId}` : `Fn::GetAtt ${logicalId}.${attribute}`;
    if (!declared) {
      throw new UnresolvableReferenceError(`${label}: no such resource in ${stack.file}`);
    }
    const constructPath = stack.constructPaths.get(logicalId);
    const value = options.resolveResource({
      stack,
      logicalId,
      resource: declared,
      attribute,
      constructPath,
      evaluate: (v) => evaluate(stack, v),
    });
    if (value === undefined) {
      throw new UnresolvableReferenceError(
        `${label} (${declared.Type} at ${constructPath ?? 'unknown path'}) has no local value`,
      );
    }
    return value;
  }

  function sub(stack: StackTemplate, argument: unknown): string {
    const [text, variables] =
      typeof argument === 'string'
        ? [argument, {}]
        : (argument as [string, Record<string, unknown> | undefined]);
    const locals = Object.fromEntries(
      Object.entries(variables ?? {}).map(([k, v]) => [k, evaluate(stack, v)]),
    );
    // `${!Literal}` stays `${Literal}`, as in CloudFormation.
    return text.replace(/\$\{(!?)([^}]+)\}/g, (_whole, bang: string, name: string) => {
      if (bang) return `\${${name}}`;
      if (name in locals) return String(locals[name]);
      if (name.includes('.') && !(name in pseudo)) return String(getAtt(stack, name));
      return String(ref(stack, name));
    });
  }

  return evaluate;
}
