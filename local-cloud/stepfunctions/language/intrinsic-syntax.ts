import { StatesError } from './errors';
import { INTRINSIC_MAX_NESTING } from './limits';

/**
 * Grammar of an intrinsic function call (https://states-language.net/spec.html#intrinsic-functions):
 * a name of `A-Za-z0-9._`, then `(`, zero or more comma-separated arguments, `)`. Arguments are
 * strings in apostrophes, numbers, `true` / `false` / `null`, Paths (`$...`, `$$...`) or nested
 * calls. Inside a string `\'`, `\{`, `\}` and `\\` stand for `'`, `{`, `}` and `\`; any other
 * backslash is an open escape, which the spec makes an error. (Booleans are not in the spec's
 * list, but AWS's own States.JsonMerge example passes `false`.)
 */

export type Argument =
  | { kind: 'string'; value: string; placeholders: number[] }
  | { kind: 'literal'; value: number | boolean | null }
  | { kind: 'path'; path: string }
  | Call;

export interface Call {
  kind: 'call';
  name: string;
  args: Argument[];
}

export const intrinsicFailure = (message: string) =>
  new StatesError('States.IntrinsicFailure', message);

export function parseIntrinsic(source: string): Call {
  const parser = new Parser(source);
  const call = parser.call(1);
  parser.skipSpaces();
  if (!parser.done()) parser.fail(`unexpected '${parser.rest()}' after the call`);
  return call;
}

class Parser {
  private i = 0;

  constructor(private readonly source: string) {}

  done = () => this.i >= this.source.length;
  rest = () => this.source.slice(this.i);
  fail(why: string): never {
    throw intrinsicFailure(`Invalid intrinsic function '${this.source}': ${why}`);
  }

  skipSpaces() {
    while (this.source[this.i] === ' ') this.i += 1;
  }

  call(depth: number): Call {
    if (depth > INTRINSIC_MAX_NESTING) {
      this.fail(`more than ${INTRINSIC_MAX_NESTING} nested intrinsic functions`);
    }
    this.skipSpaces();
    const name = /^[A-Za-z0-9._]+/.exec(this.rest())?.[0];
    if (!name) this.fail('expected a function name');
    this.i += name.length;
    this.skipSpaces();
    if (this.source[this.i] !== '(') this.fail(`expected '(' after ${name}`);
    this.i += 1;
    const args: Argument[] = [];
    this.skipSpaces();
    if (this.source[this.i] === ')') {
      this.i += 1;
      return { kind: 'call', name, args };
    }
    for (;;) {
      args.push(this.argument(depth));
      this.skipSpaces();
      const ch = this.source[this.i];
      this.i += 1;
      if (ch === ')') return { kind: 'call', name, args };
      if (ch !== ',') this.fail(`expected ',' or ')' in the arguments of ${name}`);
    }
  }

  private argument(depth: number): Argument {
    this.skipSpaces();
    const ch = this.source[this.i];
    if (ch === "'") return this.string();
    if (ch === '$') return { kind: 'path', path: this.path() };
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)(?![\w.(])/.exec(this.rest());
    if (literal) {
      this.i += literal[0].length;
      return { kind: 'literal', value: JSON.parse(literal[0]) as number | boolean | null };
    }
    if (ch !== undefined && /[A-Za-z]/.test(ch)) return this.call(depth + 1);
    this.fail(`unexpected '${this.rest()}'`);
  }

  /**
   * A string literal. `placeholders` records where an unescaped `{}` stood, so that
   * States.Format can tell a placeholder from an escaped `\{\}`.
   */
  private string(): Argument {
    this.i += 1;
    let value = '';
    const placeholders: number[] = [];
    for (;;) {
      const ch = this.source[this.i];
      if (ch === undefined) this.fail('unterminated string');
      this.i += 1;
      if (ch === "'") return { kind: 'string', value, placeholders };
      if (ch === '\\') {
        const escaped = this.source[this.i];
        if (escaped === undefined || !"'{}\\".includes(escaped)) {
          this.fail("open escape: only \\', \\{, \\} and \\\\ are allowed");
        }
        value += escaped;
        this.i += 1;
      } else if (ch === '{' && this.source[this.i] === '}') {
        placeholders.push(value.length);
        value += '{}';
        this.i += 1;
      } else if (ch === '{' || ch === '}') {
        this.fail(`reserved character '${ch}' must be escaped`);
      } else {
        value += ch;
      }
    }
  }

  /** A path runs to the next top-level ',' or ')' or space; brackets and quotes may hide them. */
  private path(): string {
    const start = this.i;
    let brackets = 0;
    let quote: string | undefined;
    while (!this.done()) {
      const ch = this.source[this.i]!;
      if (quote) {
        if (ch === '\\') this.i += 1;
        else if (ch === quote) quote = undefined;
      } else if (ch === "'" || ch === '"') {
        if (brackets === 0) break;
        quote = ch;
      } else if (ch === '[') brackets += 1;
      else if (ch === ']') brackets -= 1;
      else if (brackets === 0 && (ch === ',' || ch === ')' || ch === ' ')) break;
      this.i += 1;
    }
    return this.source.slice(start, this.i);
  }
}
