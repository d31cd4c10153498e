import { createHash, randomUUID } from 'node:crypto';
import { StatesError } from './errors';
import { intrinsicFailure, parseIntrinsic, type Argument, type Call } from './intrinsic-syntax';
import { deepEqual, readPath } from './json-path';
import {
  ARRAY_RANGE_MAX_ITEMS,
  ENCODE_INPUT_MAX_CHARS,
  INTRINSIC_MAX_RESULT_BYTES,
} from './limits';

/**
 * The intrinsic functions of the JSONPath query language, one entry per function documented at
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html, each with its
 * argument count and types. Every failure is States.IntrinsicFailure (spec: "If the Intrinsic
 * Function fails during evaluation, the interpreter fails the machine execution with an Error
 * Name of States.IntrinsicFailure", https://states-language.net/spec.html#payload-template),
 * including a Path argument that matches nothing: the function cannot be evaluated then.
 */

type Value = unknown;
interface Invocation {
  name: string;
  args: Value[];
  /** The first argument as written, when it is a string literal (for States.Format). */
  literalTemplate?: { value: string; placeholders: number[] };
}
interface IntrinsicFunction {
  /** Allowed argument counts: [min, max]. */
  arity: [number, number];
  run(call: Invocation): Value;
}

const describe = (v: unknown) =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'object'
        ? 'an object'
        : `a ${typeof v}`;

function argumentError(call: Invocation, index: number, expected: string): StatesError {
  return intrinsicFailure(
    `${call.name}: argument ${index + 1} must be ${expected}, got ${describe(call.args[index])}`,
  );
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function stringArg(call: Invocation, index: number): string {
  const v = call.args[index];
  if (typeof v !== 'string') throw argumentError(call, index, 'a string');
  return v;
}
function integerArg(call: Invocation, index: number): number {
  const v = call.args[index];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw argumentError(call, index, 'an integer');
  }
  return v;
}
function arrayArg(call: Invocation, index: number): unknown[] {
  const v = call.args[index];
  if (!Array.isArray(v)) throw argumentError(call, index, 'an array');
  return v;
}
function objectArg(call: Invocation, index: number): Record<string, unknown> {
  const v = call.args[index];
  if (!isPlainObject(v)) throw argumentError(call, index, 'a JSON object');
  return v;
}
function limitedStringArg(call: Invocation, index: number): string {
  const text = stringArg(call, index);
  if (text.length > ENCODE_INPUT_MAX_CHARS) {
    throw intrinsicFailure(
      `${call.name}: the input is ${text.length} characters; at most ${ENCODE_INPUT_MAX_CHARS} are allowed`,
    );
  }
  return text;
}

/** States.Format: "There must be as many remaining arguments ... as there are occurrences of {}". */
function format(call: Invocation): string {
  const template = stringArg(call, 0);
  const values = call.args.slice(1);
  // A literal template honours escapes (`\{\}` is text); a template read from a Path has none.
  const placeholders = call.literalTemplate?.placeholders ?? placeholderPositions(template);
  if (placeholders.length !== values.length) {
    throw intrinsicFailure(
      `States.Format: the template has ${placeholders.length} placeholder(s) but ${values.length} value(s) were given`,
    );
  }
  let out = '';
  let from = 0;
  placeholders.forEach((position, k) => {
    out += template.slice(from, position) + formatValue(values[k], k);
    from = position + 2;
    if (out.length > INTRINSIC_MAX_RESULT_BYTES) throw resultTooLarge('States.Format');
  });
  return out + template.slice(from);
}

function placeholderPositions(template: string): number[] {
  const positions: number[] = [];
  for (let k = template.indexOf('{}'); k >= 0; k = template.indexOf('{}', k + 2)) {
    positions.push(k);
  }
  return positions;
}

/**
 * Strings are inserted as they are; numbers, booleans and null as their JSON text. AWS does not
 * document objects or arrays as Format values; we refuse them rather than guess a rendering.
 */
function formatValue(value: unknown, k: number): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    return JSON.stringify(value);
  }
  throw intrinsicFailure(
    `States.Format: value ${k + 1} must be a string, number, boolean or null, got ${describe(value)}`,
  );
}

function arrayRange(call: Invocation): number[] {
  const start = integerArg(call, 0);
  const end = integerArg(call, 1);
  const step = integerArg(call, 2);
  if (step === 0) throw intrinsicFailure('States.ArrayRange: the step must not be 0');
  // Count first, so a huge range fails before anything is allocated.
  const count = (end - start) / step < 0 ? 0 : Math.floor((end - start) / step) + 1;
  if (count > ARRAY_RANGE_MAX_ITEMS) {
    throw intrinsicFailure(
      `States.ArrayRange: the range has ${count} items; at most ${ARRAY_RANGE_MAX_ITEMS} are allowed`,
    );
  }
  return Array.from({ length: count }, (_, k) => start + k * step);
}

function arrayPartition(call: Invocation): unknown[][] {
  const array = arrayArg(call, 0);
  const size = integerArg(call, 1);
  if (size <= 0) throw intrinsicFailure('States.ArrayPartition: the chunk size must be > 0');
  const out: unknown[][] = [];
  for (let k = 0; k < array.length; k += size) out.push(array.slice(k, k + size));
  return out;
}

function arrayGetItem(call: Invocation): unknown {
  const array = arrayArg(call, 0);
  const index = integerArg(call, 1);
  if (index < 0 || index >= array.length) {
    throw intrinsicFailure(
      `States.ArrayGetItem: index ${index} is out of bounds for an array of ${array.length}`,
    );
  }
  return array[index];
}

function arrayUnique(call: Invocation): unknown[] {
  const out: unknown[] = [];
  for (const item of arrayArg(call, 0)) {
    if (!out.some((kept) => deepEqual(kept, item))) out.push(item);
  }
  return out;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function base64Decode(call: Invocation): string {
  const encoded = limitedStringArg(call, 0);
  // Node's decoder skips bad characters silently; AWS fails on input that is not Base64.
  if (!BASE64.test(encoded)) throw intrinsicFailure('States.Base64Decode: the input is not Base64');
  return Buffer.from(encoded, 'base64').toString('utf8');
}

/** The algorithms the guide lists for States.Hash, spelled as it spells them. */
const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

function hash(call: Invocation): string {
  const data = limitedStringArg(call, 0);
  const algorithm = HASH_ALGORITHMS[stringArg(call, 1)];
  if (!algorithm) {
    throw intrinsicFailure(
      `States.Hash: the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`,
    );
  }
  return createHash(algorithm).update(data, 'utf8').digest('hex');
}

function jsonMerge(call: Invocation): Record<string, unknown> {
  const left = objectArg(call, 0);
  const right = objectArg(call, 1);
  const deep = call.args[2];
  if (typeof deep !== 'boolean') throw argumentError(call, 2, 'a boolean');
  // "Step Functions only supports the shallow merging mode; therefore, you must specify the
  // boolean value as false."
  if (deep) throw intrinsicFailure('States.JsonMerge: only shallow merge (false) is supported');
  return { ...left, ...right };
}

function stringToJson(call: Invocation): unknown {
  const text = stringArg(call, 0);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw intrinsicFailure('States.StringToJson: the argument is not valid JSON text');
  }
}

/**
 * States.MathRandom(start, end[, seed]): an integer in [start, end). With a seed the sequence is
 * reproducible (mulberry32, our choice: AWS does not say which generator it uses).
 */
function mathRandom(call: Invocation): number {
  const start = integerArg(call, 0);
  const end = integerArg(call, 1);
  if (end <= start) throw intrinsicFailure('States.MathRandom: end must be greater than start');
  const random = call.args.length === 3 ? seededRandom(integerArg(call, 2)) : Math.random;
  return start + Math.floor(random() * (end - start));
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integers only, as in the guide's examples; a sum beyond 2^53 would lose precision. */
function mathAdd(call: Invocation): number {
  const sum = integerArg(call, 0) + integerArg(call, 1);
  if (!Number.isSafeInteger(sum)) throw intrinsicFailure('States.MathAdd: the sum is out of range');
  return sum;
}

/** The second argument is a set of delimiter characters; empty pieces are dropped (guide examples). */
function stringSplit(call: Invocation): string[] {
  const text = stringArg(call, 0);
  const delimiters = new Set(stringArg(call, 1));
  if (delimiters.size === 0) throw intrinsicFailure('States.StringSplit: the delimiter is empty');
  const pieces: string[] = [];
  let current = '';
  for (const ch of text) {
    if (delimiters.has(ch)) {
      if (current !== '') pieces.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

const FUNCTIONS: Record<string, IntrinsicFunction> = {
  'States.Format': { arity: [1, Infinity], run: format },
  'States.StringToJson': { arity: [1, 1], run: stringToJson },
  'States.JsonToString': { arity: [1, 1], run: (call) => JSON.stringify(call.args[0]) },
  'States.Array': { arity: [0, Infinity], run: (call) => [...call.args] },
  'States.ArrayPartition': { arity: [2, 2], run: arrayPartition },
  'States.ArrayContains': {
    arity: [2, 2],
    run: (call) => arrayArg(call, 0).some((item) => deepEqual(item, call.args[1])),
  },
  'States.ArrayRange': { arity: [3, 3], run: arrayRange },
  'States.ArrayGetItem': { arity: [2, 2], run: arrayGetItem },
  'States.ArrayLength': { arity: [1, 1], run: (call) => arrayArg(call, 0).length },
  'States.ArrayUnique': { arity: [1, 1], run: arrayUnique },
  'States.Base64Encode': {
    arity: [1, 1],
    run: (call) => Buffer.from(limitedStringArg(call, 0), 'utf8').toString('base64'),
  },
  'States.Base64Decode': { arity: [1, 1], run: base64Decode },
  'States.Hash': { arity: [2, 2], run: hash },
  'States.JsonMerge': { arity: [3, 3], run: jsonMerge },
  'States.MathRandom': { arity: [2, 3], run: mathRandom },
  'States.MathAdd': { arity: [2, 2], run: mathAdd },
  'States.StringSplit': { arity: [2, 2], run: stringSplit },
  'States.UUID': { arity: [0, 0], run: () => randomUUID() },
};

const resultTooLarge = (name: string) =>
  intrinsicFailure(`${name}: the result is larger than ${INTRINSIC_MAX_RESULT_BYTES} bytes`);

/** JSON size of `value`, walking no further than `limit` (so a huge value costs little). */
function jsonSizeExceeds(value: unknown, limit: number): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) {
      size += 2 + current.length;
      for (const child of current) stack.push(child);
    } else if (isPlainObject(current)) {
      for (const [key, child] of Object.entries(current)) {
        size += key.length + 4;
        stack.push(child);
      }
      size += 2;
    } else if (typeof current === 'string') {
      size += Buffer.byteLength(current, 'utf8') + 2;
    } else {
      size += String(current).length;
    }
    if (size > limit) return true;
  }
  return false;
}

function evaluateArgument(arg: Argument, data: unknown, context: unknown): unknown {
  switch (arg.kind) {
    case 'string':
    case 'literal':
      return arg.value;
    case 'path':
      try {
        return readPath(arg.path, data, context);
      } catch (error) {
        const cause = error instanceof StatesError ? error.cause : String(error);
        throw intrinsicFailure(`Invalid path argument '${arg.path}': ${cause}`);
      }
    case 'call':
      return invoke(arg, data, context);
  }
}

function invoke(call: Call, data: unknown, context: unknown): unknown {
  const fn = FUNCTIONS[call.name];
  if (!fn) throw intrinsicFailure(`Unsupported intrinsic function ${call.name}`);
  const [min, max] = fn.arity;
  if (call.args.length < min || call.args.length > max) {
    const expected =
      min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw intrinsicFailure(`${call.name} takes ${expected} argument(s), got ${call.args.length}`);
  }
  const first = call.args[0];
  const result = fn.run({
    name: call.name,
    args: call.args.map((arg) => evaluateArgument(arg, data, context)),
    literalTemplate: first?.kind === 'string' ? first : undefined,
  });
  if (jsonSizeExceeds(result, INTRINSIC_MAX_RESULT_BYTES)) throw resultTooLarge(call.name);
  return result;
}

/** A `.$` value is an intrinsic when it does not start with `$` (spec: payload templates). */
export const isIntrinsic = (expression: string) => !expression.trimStart().startsWith('$');

export function evaluateIntrinsic(expression: string, data: unknown, context: unknown): unknown {
  try {
    return invoke(parseIntrinsic(expression.trim()), data, context);
  } catch (error) {
    if (error instanceof StatesError) throw error;
    throw intrinsicFailure(`Intrinsic function failed: ${String(error)}`);
  }
}
