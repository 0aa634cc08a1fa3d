// Filter expressions on localization columns, e.g. `photons > 500 && precision < 20`,
// `sigma in [80, 200]`, `abs(x - 5000) < 1000 || !(frame < 100)`.
//
// Session files carry these strings, so they must never run as code: the text is tokenized and
// parsed into an AST by a small recursive-descent parser, identifiers resolve only to the
// table's own columns and a fixed list of functions (Maps, not object lookups, so `constructor`
// or `__proto__` are just unknown names), and evaluation walks typed arrays in blocks.
//
// Grammar (lowest precedence first; comparisons do not chain):
//   or      := and ('||' and)*
//   and     := compare ('&&' compare)*
//   compare := sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum | 'in' '[' sum ',' sum ']')?
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/') unary)*
//   unary   := ('!' | '-' | '+') unary | primary
//   primary := number | column | function '(' or (',' or)* ')' | '(' or ')'
// Values are numbers; comparisons and logic give 1 or 0; a row is kept when the result is
// non-zero and not NaN (tested as v > 0 || v < 0, false for both) (so a comparison with a missing value drops the row).
import type { ColumnArray, LocTable } from './table';

export class FilterError extends Error {
  /** 0-based character offset of the problem in the expression. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} (at position ${position + 1})`);
    this.name = 'FilterError';
    this.position = position;
  }
}

export type FilterNode =
  | { type: 'number'; value: number; pos: number }
  | { type: 'column'; name: string; pos: number }
  | { type: 'unary'; op: '!' | '-' | '+'; arg: FilterNode; pos: number }
  | { type: 'binary'; op: BinaryOp; left: FilterNode; right: FilterNode; pos: number }
  | { type: 'range'; arg: FilterNode; lo: FilterNode; hi: FilterNode; pos: number }
  | { type: 'call'; fn: string; args: FilterNode[]; pos: number };

type BinaryOp = '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';

const FUNCTIONS = new Map<string, { min: number; max: number }>([
  ['abs', { min: 1, max: 1 }],
  ['sqrt', { min: 1, max: 1 }],
  ['log', { min: 1, max: 1 }],
  ['exp', { min: 1, max: 1 }],
  ['min', { min: 2, max: 16 }],
  ['max', { min: 2, max: 16 }],
]);

const MAX_LENGTH = 2000;
const MAX_DEPTH = 64;

interface Token {
  kind: 'num' | 'id' | 'op' | 'end';
  text: string;
  value: number;
  pos: number;
}

const OPERATORS = [
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '!',
  '(',
  ')',
  '[',
  ']',
  ',',
];

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      tokens.push({ kind: 'num', text: num[0], value: Number(num[0]), pos: i });
      i += num[0].length;
      if (i < src.length && /[A-Za-z_]/.test(src[i]))
        throw new FilterError(`malformed number "${num[0]}${src[i]}"`, i);
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      tokens.push({ kind: 'id', text: id[0], value: 0, pos: i });
      i += id[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, value: 0, pos: i });
      i += op.length;
      continue;
    }
    if (c === '=') throw new FilterError('"=" is not an operator: use "==" to compare', i);
    if (c === '&' || c === '|') throw new FilterError(`"${c}" is not an operator: use "${c}${c}"`, i);
    throw new FilterError(`unexpected character "${c}"`, i);
  }
  tokens.push({ kind: 'end', text: '', value: 0, pos: src.length });
  return tokens;
}

/** Parses an expression; `columns`, when given, are the names it may use. */
export function parseFilter(src: string, columns?: readonly string[]): FilterNode {
  if (src.length > MAX_LENGTH)
    throw new FilterError(`expression longer than ${MAX_LENGTH} characters`, MAX_LENGTH);
  const tokens = tokenize(src);
  const known = columns ? new Set(columns) : null;
  let at = 0;
  let depth = 0;
  const peek = () => tokens[at];
  const isOp = (text: string) => tokens[at].kind === 'op' && tokens[at].text === text;
  const expect = (text: string, what: string) => {
    if (!isOp(text)) throw new FilterError(`expected ${what}, found ${describe(peek())}`, peek().pos);
    at++;
  };
  const nest = (pos: number) => {
    if (++depth > MAX_DEPTH) throw new FilterError('expression nested too deeply', pos);
  };

  /** A left-associative chain `next (op next)*` over the given operators. */
  const chain = (ops: readonly BinaryOp[], next: () => FilterNode): FilterNode => {
    let left = next();
    while (ops.some((op) => isOp(op))) {
      const t = tokens[at++];
      left = { type: 'binary', op: t.text as BinaryOp, left, right: next(), pos: t.pos };
    }
    return left;
  };
  const or = (): FilterNode => {
    nest(peek().pos);
    const node = chain(['||'], and);
    depth--;
    return node;
  };
  const and = (): FilterNode => chain(['&&'], compare);
  const compare = (): FilterNode => {
    const left = sum();
    const t = peek();
    if (t.kind === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(t.text)) {
      at++;
      const node: FilterNode = { type: 'binary', op: t.text as BinaryOp, left, right: sum(), pos: t.pos };
      const n = peek();
      if (n.kind === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(n.text))
        throw new FilterError('comparisons do not chain: write "a < b && b < c" or "b in [a, c]"', n.pos);
      return node;
    }
    if (t.kind === 'id' && t.text === 'in') {
      at++;
      expect('[', '"[" after "in"');
      const lo = sum();
      expect(',', '"," between the range bounds');
      const hi = sum();
      expect(']', '"]" closing the range');
      return { type: 'range', arg: left, lo, hi, pos: t.pos };
    }
    return left;
  };
  const sum = (): FilterNode => chain(['+', '-'], product);
  const product = (): FilterNode => chain(['*', '/'], unary);
  const unary = (): FilterNode => {
    if (isOp('!') || isOp('-') || isOp('+')) {
      const t = tokens[at++];
      nest(t.pos);
      const arg = unary();
      depth--;
      return { type: 'unary', op: t.text as '!' | '-' | '+', arg, pos: t.pos };
    }
    return primary();
  };
  const primary = (): FilterNode => {
    const t = peek();
    if (t.kind === 'num') {
      at++;
      return { type: 'number', value: t.value, pos: t.pos };
    }
    if (t.kind === 'op' && t.text === '(') {
      at++;
      const inner = or();
      expect(')', '")"');
      return inner;
    }
    if (t.kind === 'id') {
      at++;
      if (t.text === 'in') throw new FilterError('"in" needs a value on its left', t.pos);
      if (isOp('(')) {
        const spec = FUNCTIONS.get(t.text);
        if (!spec)
          throw new FilterError(
            `unknown function "${t.text}" (known: ${[...FUNCTIONS.keys()].join(', ')})`,
            t.pos,
          );
        at++;
        const args: FilterNode[] = [];
        if (!isOp(')')) {
          args.push(or());
          while (isOp(',')) {
            at++;
            args.push(or());
          }
        }
        expect(')', `")" closing ${t.text}(`);
        if (args.length < spec.min || args.length > spec.max)
          throw new FilterError(
            `${t.text}() takes ${spec.min === spec.max ? spec.min : `${spec.min}–${spec.max}`} argument(s), got ${args.length}`,
            t.pos,
          );
        return { type: 'call', fn: t.text, args, pos: t.pos };
      }
      if (known && !known.has(t.text))
        throw new FilterError(`unknown column "${t.text}" (columns: ${[...known].join(', ')})`, t.pos);
      return { type: 'column', name: t.text, pos: t.pos };
    }
    throw new FilterError(`expected a number, column, function or "(", found ${describe(t)}`, t.pos);
  };

  if (peek().kind === 'end') throw new FilterError('empty expression', 0);
  const root = or();
  if (peek().kind !== 'end') throw new FilterError(`unexpected ${describe(peek())}`, peek().pos);
  return root;
}

function describe(t: Token): string {
  return t.kind === 'end' ? 'end of expression' : `"${t.text}"`;
}

/** The error a UI should show for this expression against these columns, or null when valid. */
export function validateFilter(src: string, columns: readonly string[]): FilterError | null {
  try {
    parseFilter(src, columns);
    return null;
  } catch (e) {
    if (e instanceof FilterError) return e;
    throw e;
  }
}

const BLOCK = 4096;

/** One compiled node: fills and returns its own block buffer for rows [start, start+len). */
type Evaluator = (start: number, len: number) => Float64Array;

function compile(node: FilterNode, columns: Readonly<Record<string, ColumnArray>>): Evaluator {
  const out = new Float64Array(BLOCK);
  switch (node.type) {
    case 'number': {
      out.fill(node.value);
      return () => out;
    }
    case 'column': {
      if (!Object.hasOwn(columns, node.name))
        throw new FilterError(`unknown column "${node.name}"`, node.pos);
      const col = columns[node.name];
      return (start, len) => {
        for (let k = 0; k < len; k++) out[k] = col[start + k];
        return out;
      };
    }
    case 'unary': {
      const a = compile(node.arg, columns);
      const op = node.op;
      return (start, len) => {
        const v = a(start, len);
        if (op === '!') for (let k = 0; k < len; k++) out[k] = v[k] > 0 || v[k] < 0 ? 0 : 1;
        else if (op === '-') for (let k = 0; k < len; k++) out[k] = -v[k];
        else for (let k = 0; k < len; k++) out[k] = v[k];
        return out;
      };
    }
    case 'range': {
      const a = compile(node.arg, columns);
      const lo = compile(node.lo, columns);
      const hi = compile(node.hi, columns);
      return (start, len) => {
        const v = a(start, len);
        const l = lo(start, len);
        const h = hi(start, len);
        for (let k = 0; k < len; k++) out[k] = v[k] >= l[k] && v[k] <= h[k] ? 1 : 0;
        return out;
      };
    }
    case 'call': {
      const args = node.args.map((n) => compile(n, columns));
      const fn = node.fn;
      return (start, len) => {
        const v = args[0](start, len);
        if (fn === 'min' || fn === 'max') {
          out.set(v.subarray(0, len));
          for (let j = 1; j < args.length; j++) {
            const w = args[j](start, len);
            if (fn === 'min') for (let k = 0; k < len; k++) out[k] = Math.min(out[k], w[k]);
            else for (let k = 0; k < len; k++) out[k] = Math.max(out[k], w[k]);
          }
        } else if (fn === 'abs') for (let k = 0; k < len; k++) out[k] = Math.abs(v[k]);
        else if (fn === 'sqrt') for (let k = 0; k < len; k++) out[k] = Math.sqrt(v[k]);
        else if (fn === 'log') for (let k = 0; k < len; k++) out[k] = Math.log(v[k]);
        else for (let k = 0; k < len; k++) out[k] = Math.exp(v[k]);
        return out;
      };
    }
    case 'binary': {
      const a = compile(node.left, columns);
      const b = compile(node.right, columns);
      const op = node.op;
      return (start, len) => {
        const u = a(start, len);
        const v = b(start, len);
        switch (op) {
          case '+':
            for (let k = 0; k < len; k++) out[k] = u[k] + v[k];
            break;
          case '-':
            for (let k = 0; k < len; k++) out[k] = u[k] - v[k];
            break;
          case '*':
            for (let k = 0; k < len; k++) out[k] = u[k] * v[k];
            break;
          case '/':
            for (let k = 0; k < len; k++) out[k] = u[k] / v[k];
            break;
          case '<':
            for (let k = 0; k < len; k++) out[k] = u[k] < v[k] ? 1 : 0;
            break;
          case '<=':
            for (let k = 0; k < len; k++) out[k] = u[k] <= v[k] ? 1 : 0;
            break;
          case '>':
            for (let k = 0; k < len; k++) out[k] = u[k] > v[k] ? 1 : 0;
            break;
          case '>=':
            for (let k = 0; k < len; k++) out[k] = u[k] >= v[k] ? 1 : 0;
            break;
          case '==':
            for (let k = 0; k < len; k++) out[k] = u[k] === v[k] ? 1 : 0;
            break;
          case '!=':
            for (let k = 0; k < len; k++) out[k] = u[k] !== v[k] ? 1 : 0;
            break;
          case '&&':
            for (let k = 0; k < len; k++) out[k] = (u[k] > 0 || u[k] < 0) && (v[k] > 0 || v[k] < 0) ? 1 : 0;
            break;
          case '||':
            for (let k = 0; k < len; k++) out[k] = u[k] > 0 || u[k] < 0 || v[k] > 0 || v[k] < 0 ? 1 : 0;
            break;
        }
        return out;
      };
    }
  }
}

/**
 * Keep-mask of the rows satisfying `expr`. When `into` is given the result is ANDed into it
 * (chaining filters without allocating), and returned.
 */
export function filterMask(table: LocTable, expr: string | FilterNode, into?: Uint8Array): Uint8Array {
  const names = Object.keys(table.columns);
  const ast = typeof expr === 'string' ? parseFilter(expr, names) : expr;
  const root = compile(ast, table.columns);
  const n = table.length;
  const mask = into ?? new Uint8Array(n).fill(1);
  for (let start = 0; start < n; start += BLOCK) {
    const len = Math.min(BLOCK, n - start);
    const v = root(start, len);
    for (let k = 0; k < len; k++) if (!(v[k] > 0 || v[k] < 0)) mask[start + k] = 0; // zero or NaN
  }
  return mask;
}
