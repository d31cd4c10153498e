import { createHash, randomUUID } from 'node:crypto';
import { StatesError } from './errors';
import { readPath } from './json-path';

/**
 * Intrinsic functions (`States.Format(...)` etc.) used in Parameters/ResultSelector values whose
 * key ends in `.$`. A small recursive-descent parser; failures are States.IntrinsicFailure.
 */
const fail = (message: string) => new StatesError('States.IntrinsicFailure', message);

type Arg = { kind: 'value'; value: unknown } | { kind: 'path'; path: string } | Call;
interface Call {
  kind: 'call';
  name: string;
  args: Arg[];
}

function parse(source: string): Call {
  let i = 0;
  const skipSpace = () => {
    while (source[i] === ' ') i += 1;
  };
  const parseArg = (): Arg => {
    skipSpace();
    const rest = source.slice(i);
    if (rest.startsWith("'")) {
      let text = '';
      i += 1;
      while (i < source.length && source[i] !== "'") {
        if (source[i] === '\\') i += 1;
        text += source[i] ?? '';
        i += 1;
      }
      if (source[i] !== "'") throw fail(`Unterminated string in ${source}`);
      i += 1;
      return { kind: 'value', value: text };
    }
    if (rest.startsWith('States.')) return parseCall();
    if (rest.startsWith('$')) {
      const match = /^\$\$?[^,)\s]*/.exec(rest);
      i += match![0].length;
      return { kind: 'path', path: match![0] };
    }
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(rest);
    if (!literal) throw fail(`Unexpected argument at '${rest}' in ${source}`);
    i += literal[0].length;
    return { kind: 'value', value: JSON.parse(literal[0]) };
  };
  const parseCall = (): Call => {
    skipSpace();
    const match = /^States\.[A-Za-z0-9]+/.exec(source.slice(i));
    if (!match) throw fail(`Expected an intrinsic function in ${source}`);
    i += match[0].length;
    skipSpace();
    if (source[i] !== '(') throw fail(`Expected '(' after ${match[0]}`);
    i += 1;
    const args: Arg[] = [];
    skipSpace();
    if (source[i] === ')') {
      i += 1;
      return { kind: 'call', name: match[0], args };
    }
    for (;;) {
      args.push(parseArg());
      skipSpace();
      if (source[i] === ',') {
        i += 1;
        continue;
      }
      if (source[i] === ')') {
        i += 1;
        return { kind: 'call', name: match[0], args };
      }
      throw fail(`Expected ',' or ')' in ${source}`);
    }
  };
  const call = parseCall();
  skipSpace();
  if (i !== source.length) throw fail(`Unexpected trailing text in ${source}`);
  return call;
}

const asArray = (v: unknown, fn: string): unknown[] => {
  if (!Array.isArray(v)) throw fail(`${fn} expects an array`);
  return v;
};
const asNumber = (v: unknown, fn: string): number => {
  if (typeof v !== 'number') throw fail(`${fn} expects a number`);
  return v;
};
const asString = (v: unknown, fn: string): string => {
  if (typeof v !== 'string') throw fail(`${fn} expects a string`);
  return v;
};

const FUNCTIONS: Record<string, (args: unknown[]) => unknown> = {
  'States.Format': ([template, ...values]) => {
    let n = 0;
    return asString(template, 'States.Format').replace(/\{\}/g, () => {
      const v = values[n++];
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  },
  'States.StringToJson': ([s]) => JSON.parse(asString(s, 'States.StringToJson')),
  'States.JsonToString': ([v]) => JSON.stringify(v),
  'States.Array': (args) => args,
  'States.ArrayPartition': ([a, size]) => {
    const arr = asArray(a, 'States.ArrayPartition');
    const n = asNumber(size, 'States.ArrayPartition');
    const out: unknown[][] = [];
    for (let k = 0; k < arr.length; k += n) out.push(arr.slice(k, k + n));
    return out;
  },
  'States.ArrayContains': ([a, v]) =>
    asArray(a, 'States.ArrayContains').some((x) => JSON.stringify(x) === JSON.stringify(v)),
  'States.ArrayRange': ([start, end, stepBy]) => {
    const out: number[] = [];
    const s = asNumber(stepBy, 'States.ArrayRange');
    for (
      let x = asNumber(start, 'States.ArrayRange');
      s > 0 ? x <= Number(end) : x >= Number(end);
      x += s
    )
      out.push(x);
    return out;
  },
  'States.ArrayGetItem': ([a, index]) =>
    asArray(a, 'States.ArrayGetItem')[asNumber(index, 'States.ArrayGetItem')],
  'States.ArrayLength': ([a]) => asArray(a, 'States.ArrayLength').length,
  'States.ArrayUnique': ([a]) => {
    const seen = new Set<string>();
    return asArray(a, 'States.ArrayUnique').filter((x) => {
      const key = JSON.stringify(x);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
  'States.Base64Encode': ([s]) =>
    Buffer.from(asString(s, 'States.Base64Encode')).toString('base64'),
  'States.Base64Decode': ([s]) =>
    Buffer.from(asString(s, 'States.Base64Decode'), 'base64').toString(),
  'States.Hash': ([data, algorithm]) => {
    const algo = asString(algorithm, 'States.Hash').toLowerCase().replace('-', '');
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    return createHash(algo).update(text).digest('hex');
  },
  'States.JsonMerge': ([a, b]) => ({ ...(a as object), ...(b as object) }),
  'States.MathRandom': ([start, end]) => {
    const lo = asNumber(start, 'States.MathRandom');
    return lo + Math.floor(Math.random() * (asNumber(end, 'States.MathRandom') - lo));
  },
  'States.MathAdd': ([a, b]) => asNumber(a, 'States.MathAdd') + asNumber(b, 'States.MathAdd'),
  'States.StringSplit': ([s, sep]) => {
    const chars = asString(sep, 'States.StringSplit');
    return asString(s, 'States.StringSplit')
      .split(new RegExp(`[${chars.replace(/[\]\\^-]/g, '\\$&')}]`))
      .filter((p) => p !== '');
  },
  'States.UUID': () => randomUUID(),
};

function evaluate(arg: Arg, data: unknown, context: unknown): unknown {
  if (arg.kind === 'value') return arg.value;
  if (arg.kind === 'path') return readPath(arg.path, data, context);
  const fn = FUNCTIONS[arg.name];
  if (!fn) throw fail(`Unsupported intrinsic function ${arg.name}`);
  try {
    return fn(arg.args.map((a) => evaluate(a, data, context)));
  } catch (error) {
    if (error instanceof StatesError) throw error;
    throw fail(`${arg.name} failed: ${String(error)}`);
  }
}

export const isIntrinsic = (expression: string) => expression.trimStart().startsWith('States.');

export function evaluateIntrinsic(expression: string, data: unknown, context: unknown): unknown {
  return evaluate(parse(expression.trim()), data, context);
}
