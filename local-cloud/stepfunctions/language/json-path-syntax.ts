import { runtimeError } from './errors';
import { PATH_CACHE_MAX_ENTRIES, PATH_MAX_CHARS } from './limits';

/**
 * Parser for the JSONPath flavour Step Functions uses (Jayway JsonPath, as the ASL spec says:
 * https://states-language.net/spec.html#path). Supported: `$` / `$$` roots, `.name`, `['name']`,
 * `[n]` (negative counts from the end), `[*]` / `.*`, unions `[0,1]` / `['a','b']`, slices
 * `[start:end:step]`, recursive descent `..`, and filters `[?(...)]` with `==`, `!=`, `<`, `<=`,
 * `>`, `>=`, `&&`, `||`, `!`, parentheses, `@` paths and literals.
 *
 * Left out on purpose, each failing with States.Runtime rather than being half supported:
 * functions such as `length()`, the non-symbolic operators (`in`, `nin`, `subsetof`, ...),
 * regular expressions (`=~`) and `$` references inside a filter. AWS names exactly these as
 * unsupported ("Functions such as length() aren't supported", "Lexical operators, which are
 * non-symbolic, such as subsetof aren't supported", "Filtering by regular expression or by
 * referencing another value in the JSON structure isn't supported":
 * https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html).
 * Nothing here is ever handed to `eval` or `new Function`: filters are a small tree walked by
 * json-path.ts.
 */

export type Selector =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'union'; members: (string | number)[] }
  | { kind: 'slice'; start?: number; end?: number; step: number }
  | { kind: 'filter'; expression: FilterExpression };

export interface Segment {
  /** `..`: apply the selector to the node and every node below it. */
  descendant: boolean;
  selector: Selector;
}

export interface ParsedPath {
  root: '$' | '$$' | '@';
  segments: Segment[];
  /** Jayway's "definite" path: selects at most one node, so its result is that node, not a list. */
  definite: boolean;
}

export type FilterOperand =
  { kind: 'literal'; value: unknown } | { kind: 'path'; path: ParsedPath };

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterExpression =
  | { kind: 'or' | 'and'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'exists'; operand: FilterOperand }
  | {
      kind: 'compare';
      operator: ComparisonOperator;
      left: FilterOperand;
      right: FilterOperand;
    };

const cache = new Map<string, ParsedPath>();

export function parsePath(path: string): ParsedPath {
  const cached = cache.get(path);
  if (cached) return cached;
  if (typeof path !== 'string') throw runtimeError(`Invalid path: ${JSON.stringify(path)}`);
  if (path.length > PATH_MAX_CHARS) {
    throw runtimeError(`Invalid path: longer than ${PATH_MAX_CHARS} characters`);
  }
  const scanner = new Scanner(path);
  const parsed = scanner.path(['$$', '$']);
  if (!scanner.done()) scanner.fail(`unexpected '${scanner.rest()}'`);
  if (cache.size < PATH_CACHE_MAX_ENTRIES) cache.set(path, parsed);
  return parsed;
}

const isDefinite = (segments: Segment[]) =>
  segments.every(
    (segment) =>
      !segment.descendant &&
      (segment.selector.kind === 'name' || segment.selector.kind === 'index'),
  );

const COMPARISON_OPERATORS: ComparisonOperator[] = ['==', '!=', '<=', '>=', '<', '>'];

class Scanner {
  private i = 0;
  /** Filters nest (`[?(@.a[?(@.b)])]`); bounded so a hostile path cannot exhaust the stack. */
  private depth = 0;

  constructor(private readonly text: string) {}

  done = () => this.i >= this.text.length;
  rest = () => this.text.slice(this.i);
  fail(why: string): never {
    throw runtimeError(`Invalid path '${this.text}': ${why}`);
  }

  private peek = (offset = 0) => this.text[this.i + offset];
  private startsWith = (s: string) => this.text.startsWith(s, this.i);
  private skipSpaces() {
    while (this.peek() === ' ') this.i += 1;
  }

  path(roots: ParsedPath['root'][]): ParsedPath {
    const root = roots.find((r) => this.startsWith(r));
    if (!root) this.fail(`must start with ${roots.map((r) => `'${r}'`).join(' or ')}`);
    this.i += root.length;
    const segments: Segment[] = [];
    for (;;) {
      if (this.startsWith('..')) {
        this.i += 2;
        segments.push({
          descendant: true,
          selector: this.peek() === '[' ? this.bracket() : this.dotName(),
        });
      } else if (this.peek() === '.') {
        this.i += 1;
        segments.push({ descendant: false, selector: this.dotName() });
      } else if (this.peek() === '[') {
        segments.push({ descendant: false, selector: this.bracket() });
      } else {
        break;
      }
    }
    return { root, segments, definite: isDefinite(segments) };
  }

  /** `.name` with the spec's backslash escapes (`$.store\.book`, `$.\uD800\uDF46`). */
  private dotName(): Selector {
    if (this.peek() === '*') {
      this.i += 1;
      return { kind: 'wildcard' };
    }
    let name = '';
    while (!this.done()) {
      const ch = this.peek()!;
      if (ch === '.' || ch === '[' || ch === ' ' || ch === ')' || ch === ',') break;
      if (this.depth > 0 && /[=!<>&|]/.test(ch)) break;
      if (ch === '(') this.fail('functions such as length() are not supported');
      if (ch === '\\') {
        name += this.escape();
        continue;
      }
      name += ch;
      this.i += 1;
    }
    if (name === '') this.fail('empty field name');
    return { kind: 'name', name };
  }

  private escape(): string {
    const next = this.peek(1);
    if (next === undefined) this.fail('open escape at the end');
    if (next === 'u') {
      const hex = this.text.slice(this.i + 2, this.i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
      this.i += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    this.i += 2;
    return next;
  }

  private bracket(): Selector {
    this.i += 1; // '['
    this.skipSpaces();
    let selector: Selector;
    if (this.peek() === '*') {
      this.i += 1;
      selector = { kind: 'wildcard' };
    } else if (this.peek() === '?') {
      this.i += 1;
      this.skipSpaces();
      if (this.peek() !== '(') this.fail("a filter is written '[?(...)]'");
      this.i += 1;
      this.depth += 1;
      if (this.depth > 8) this.fail('filters nested too deeply');
      const expression = this.orExpression();
      this.depth -= 1;
      this.skipSpaces();
      if (this.peek() !== ')') this.fail("missing ')' closing the filter");
      this.i += 1;
      selector = { kind: 'filter', expression };
    } else if (this.peek() === "'" || this.peek() === '"') {
      const names: string[] = [this.quoted()];
      while (this.comma()) names.push(this.quoted());
      selector =
        names.length === 1 ? { kind: 'name', name: names[0]! } : { kind: 'union', members: names };
    } else {
      selector = this.indexesOrSlice();
    }
    this.skipSpaces();
    if (this.peek() !== ']') this.fail("missing ']'");
    this.i += 1;
    return selector;
  }

  private comma(): boolean {
    this.skipSpaces();
    if (this.peek() !== ',') return false;
    this.i += 1;
    this.skipSpaces();
    return true;
  }

  private quoted(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail('expected a quoted name');
    this.i += 1;
    let value = '';
    while (!this.done() && this.peek() !== quote) {
      value += this.peek() === '\\' ? this.escape() : this.text[this.i++];
    }
    if (this.done()) this.fail('unterminated quoted name');
    this.i += 1;
    return value;
  }

  private integer(): number | undefined {
    const match = /^-?\d+/.exec(this.rest());
    if (!match) return undefined;
    this.i += match[0].length;
    const value = Number(match[0]);
    if (!Number.isSafeInteger(value)) this.fail(`index ${match[0]} is out of range`);
    return value;
  }

  private indexesOrSlice(): Selector {
    const first = this.integer();
    this.skipSpaces();
    if (this.peek() === ':') {
      this.i += 1;
      this.skipSpaces();
      const end = this.integer();
      let step = 1;
      this.skipSpaces();
      if (this.peek() === ':') {
        this.i += 1;
        this.skipSpaces();
        step = this.integer() ?? 1;
      }
      if (step === 0) this.fail('slice step cannot be 0');
      return { kind: 'slice', start: first, end, step };
    }
    if (first === undefined) this.fail(`unsupported selector at '${this.rest()}'`);
    const indexes = [first];
    while (this.comma()) {
      const next = this.integer();
      if (next === undefined) this.fail('expected an index after ,');
      indexes.push(next);
    }
    return indexes.length === 1
      ? { kind: 'index', index: first }
      : { kind: 'union', members: indexes };
  }

  // Filter grammar: or := and ('||' and)* ; and := unary ('&&' unary)* ;
  // unary := '!' unary | '(' or ')' | operand (operator operand)?

  private orExpression(): FilterExpression {
    let left = this.andExpression();
    for (;;) {
      this.skipSpaces();
      if (!this.startsWith('||')) return left;
      this.i += 2;
      left = { kind: 'or', left, right: this.andExpression() };
    }
  }

  private andExpression(): FilterExpression {
    let left = this.unary();
    for (;;) {
      this.skipSpaces();
      if (!this.startsWith('&&')) return left;
      this.i += 2;
      left = { kind: 'and', left, right: this.unary() };
    }
  }

  private unary(): FilterExpression {
    this.skipSpaces();
    if (this.peek() === '!' && this.peek(1) !== '=') {
      this.i += 1;
      return { kind: 'not', operand: this.unary() };
    }
    if (this.peek() === '(') {
      this.i += 1;
      this.depth += 1;
      if (this.depth > 16) this.fail('filter nested too deeply');
      const inner = this.orExpression();
      this.depth -= 1;
      this.skipSpaces();
      if (this.peek() !== ')') this.fail("missing ')' in filter");
      this.i += 1;
      return inner;
    }
    const left = this.operand();
    this.skipSpaces();
    const operator = COMPARISON_OPERATORS.find((op) => this.startsWith(op));
    if (!operator) {
      if (this.startsWith('=~')) this.fail('regular expressions in filters are not supported');
      if (/^[a-z]/i.test(this.rest())) {
        this.fail(`operator '${/^\w+/.exec(this.rest())![0]}' is not supported`);
      }
      if (left.kind === 'literal') this.fail('a filter needs an @ path');
      return { kind: 'exists', operand: left };
    }
    this.i += operator.length;
    const right = this.operand();
    return { kind: 'compare', operator, left, right };
  }

  private operand(): FilterOperand {
    this.skipSpaces();
    const ch = this.peek();
    if (ch === '@') return { kind: 'path', path: this.path(['@']) };
    if (ch === '$') this.fail('filters cannot refer to other values of the input ($)');
    if (ch === "'" || ch === '"') return { kind: 'literal', value: this.quoted() };
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)(?![\w.])/.exec(this.rest());
    if (!literal) this.fail(`unexpected '${this.rest()}' in filter`);
    this.i += literal[0].length;
    return { kind: 'literal', value: JSON.parse(literal[0]) as unknown };
  }
}
