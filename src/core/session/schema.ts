// A tiny schema toolkit for untrusted JSON (session files): each check takes a value and a path,
// returns a fresh copy built only from what it accepted, and records every problem as
// "path: reason". Written as code so nothing from a file is ever evaluated, and so limits
// (lengths, counts, depth) sit next to the types they bound.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class Issues {
  readonly list: string[] = [];
  /** Past this many the rest are summarised: a hostile file must not make a huge report. */
  static readonly MAX = 50;
  private dropped = 0;
  add(path: string, reason: string): void {
    // Feature parsers quote the offending value; a hostile value must not make a huge message.
    const r = reason.length > 300 ? `${reason.slice(0, 300)}…` : reason;
    const p = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    if (this.list.length < Issues.MAX) this.list.push(p ? `${p}: ${r}` : r);
    else this.dropped++;
  }
  get ok(): boolean {
    return this.list.length === 0;
  }
  messages(): string[] {
    return this.dropped ? [...this.list, `… and ${this.dropped} more problems`] : [...this.list];
  }
}

/** A check: the accepted (copied) value, or undefined after recording why not. */
export type Check<T> = (v: unknown, path: string, issues: Issues) => T | undefined;

/** Keys that would reach an object's prototype if copied naively: never accepted. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** True if `s` has control characters (tab, LF and CR allowed when `multiline`). */
export function hasControl(s: string, multiline = false): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 || c === 127) && !(multiline && (c === 9 || c === 10 || c === 13))) return true;
  }
  return false;
}

/** `s` without control characters, cut to `max` characters (for names taken from foreign files). */
export function cleanText(s: string, max: number): string {
  let out = '';
  for (let i = 0; i < s.length && out.length < max; i++) {
    const c = s.charCodeAt(i);
    if (c >= 32 && c !== 127) out += s[i];
  }
  return out;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return `a string of ${v.length} characters`;
  return `a ${typeof v}`;
}

export interface StrOptions {
  max: number;
  min?: number;
  /** Allow newlines and tabs (notes); other control characters are always refused. */
  multiline?: boolean;
  pattern?: RegExp;
  patternHint?: string;
}

/** A string of bounded length. It stays text: nothing shows it as HTML. */
export function str(o: StrOptions): Check<string> {
  return (v, path, issues) => {
    if (typeof v !== 'string') return void issues.add(path, `expected text, got ${describe(v)}`);
    if (v.length > o.max) return void issues.add(path, `text longer than ${o.max} characters (${v.length})`);
    if (v.length < (o.min ?? 0)) return void issues.add(path, `text shorter than ${o.min} characters`);
    if (hasControl(v, o.multiline)) return void issues.add(path, 'text contains control characters');
    if (o.pattern && !o.pattern.test(v))
      return void issues.add(
        path,
        `"${v.slice(0, 60)}" is not ${o.patternHint ?? `of the form ${o.pattern}`}`,
      );
    return v;
  };
}

export interface NumOptions {
  min?: number;
  max?: number;
  integer?: boolean;
  /** Open lower bound (> min). */
  exclusiveMin?: boolean;
}

/** A finite number in range (JSON cannot hold NaN or ±Infinity; a parsed file never has them). */
export function num(o: NumOptions = {}): Check<number> {
  return (v, path, issues) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      return void issues.add(path, `expected a finite number, got ${describe(v)}`);
    if (o.integer && !Number.isInteger(v)) return void issues.add(path, `expected an integer, got ${v}`);
    if (o.min !== undefined && (o.exclusiveMin ? v <= o.min : v < o.min))
      return void issues.add(
        path,
        `${v} is below the minimum ${o.exclusiveMin ? '(exclusive) ' : ''}${o.min}`,
      );
    if (o.max !== undefined && v > o.max) return void issues.add(path, `${v} is above the maximum ${o.max}`);
    return v;
  };
}

export const bool: Check<boolean> = (v, path, issues) => {
  if (typeof v !== 'boolean') return void issues.add(path, `expected true or false, got ${describe(v)}`);
  return v;
};

export function oneOf<T extends string | number>(values: readonly T[]): Check<T> {
  return (v, path, issues) => {
    if (!values.includes(v as T))
      return void issues.add(
        path,
        `${typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : describe(v)} is not one of ${values.join(', ')}`,
      );
    return v as T;
  };
}

export function nullable<T>(c: Check<T>): Check<T | null> {
  return (v, path, issues) => (v === null ? null : c(v, path, issues));
}

export function arr<T>(item: Check<T>, o: { max: number; min?: number }): Check<T[]> {
  return (v, path, issues) => {
    if (!Array.isArray(v)) return void issues.add(path, `expected a list, got ${describe(v)}`);
    if (v.length > o.max)
      return void issues.add(path, `list of ${v.length} items, more than the limit of ${o.max}`);
    if (v.length < (o.min ?? 0)) return void issues.add(path, `list needs at least ${o.min} items`);
    const out: T[] = [];
    let bad = false;
    for (let i = 0; i < v.length; i++) {
      const r = item(v[i], `${path}[${i}]`, issues);
      if (r === undefined) bad = true;
      else out.push(r);
    }
    return bad ? undefined : out;
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Fields = Record<string, Check<unknown>>;
type Out<F extends Fields> = { [K in keyof F]: F[K] extends Check<infer T> ? T : never };

/**
 * An object with required and optional fields. Unknown keys are refused (so typos and injected
 * fields surface) unless `extra: 'drop'`, which ignores them — used for forward-compatible parts.
 */
export function obj<R extends Fields, O extends Fields = Record<string, never>>(
  required: R,
  optional?: O,
  o: { extra?: 'refuse' | 'drop' } = {},
): Check<Out<R> & Partial<Out<O>>> {
  return (v, path, issues) => {
    if (!isPlainObject(v)) return void issues.add(path, `expected an object, got ${describe(v)}`);
    const out: Record<string, unknown> = {};
    let bad = false;
    for (const k of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(k)) {
        issues.add(path, `key "${k}" is not allowed`);
        bad = true;
      } else if (!(k in required) && !(optional && k in optional) && o.extra !== 'drop') {
        issues.add(path, `unknown field "${k.slice(0, 60)}"`);
        bad = true;
      }
    }
    for (const [k, check] of Object.entries(required)) {
      const p = path ? `${path}.${k}` : k;
      if (!Object.hasOwn(v, k)) {
        issues.add(p, 'missing');
        bad = true;
        continue;
      }
      const r = check(v[k], p, issues);
      if (r === undefined) bad = true;
      else out[k] = r;
    }
    if (optional) {
      for (const [k, check] of Object.entries(optional)) {
        if (!Object.hasOwn(v, k) || v[k] === undefined) continue;
        const r = check(v[k], path ? `${path}.${k}` : k, issues);
        if (r === undefined) bad = true;
        else out[k] = r;
      }
    }
    return bad ? undefined : (out as Out<R> & Partial<Out<O>>);
  };
}

/** A map with checked keys and values, e.g. colour map per channel. */
export function record<T>(
  value: Check<T>,
  o: { maxKeys: number; key?: Check<string> },
): Check<Record<string, T>> {
  const key = o.key ?? str({ max: 64, min: 1 });
  return (v, path, issues) => {
    if (!isPlainObject(v)) return void issues.add(path, `expected an object, got ${describe(v)}`);
    const keys = Object.keys(v);
    if (keys.length > o.maxKeys)
      return void issues.add(path, `${keys.length} keys, more than the limit of ${o.maxKeys}`);
    const out: Record<string, T> = {};
    let bad = false;
    for (const k of keys) {
      if (FORBIDDEN_KEYS.has(k)) {
        issues.add(path, `key "${k}" is not allowed`);
        bad = true;
        continue;
      }
      if (key(k, `${path} key`, issues) === undefined) {
        bad = true;
        continue;
      }
      const r = value(v[k], `${path}.${k}`, issues);
      if (r === undefined) bad = true;
      else out[k] = r;
    }
    return bad ? undefined : out;
  };
}

export interface JsonLimits {
  maxDepth: number;
  maxNodes: number;
  maxString: number;
  maxKeys: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = {
  maxDepth: 32,
  maxNodes: 100_000,
  maxString: 100_000,
  maxKeys: 1000,
};

/**
 * Any plain JSON value within limits — for parameter sections whose exact shape belongs to a
 * feature (and evolves with it): depth, node count, string length and key names are bounded and
 * prototype keys refused; the value is copied.
 */
export function plainJson(limits: Partial<JsonLimits> = {}): Check<Json> {
  const L = { ...DEFAULT_JSON_LIMITS, ...limits };
  return (v, path, issues) => {
    let nodes = 0;
    let failed = false;
    const walk = (x: unknown, p: string, depth: number): Json | undefined => {
      if (failed) return undefined;
      if (++nodes > L.maxNodes) {
        failed = true;
        return void issues.add(path, `more than ${L.maxNodes} values`);
      }
      if (depth > L.maxDepth) {
        failed = true;
        return void issues.add(p, `nested deeper than ${L.maxDepth} levels`);
      }
      if (x === null || typeof x === 'boolean') return x;
      if (typeof x === 'number') {
        if (!Number.isFinite(x)) {
          failed = true;
          return void issues.add(p, `expected a finite number, got ${describe(x)}`);
        }
        return x;
      }
      if (typeof x === 'string') {
        if (x.length > L.maxString) {
          failed = true;
          return void issues.add(p, `text longer than ${L.maxString} characters`);
        }
        return x;
      }
      if (Array.isArray(x)) {
        const out: Json[] = [];
        for (let i = 0; i < x.length && !failed; i++) {
          const r = walk(x[i], `${p}[${i}]`, depth + 1);
          if (r !== undefined) out.push(r);
        }
        return failed ? undefined : out;
      }
      if (isPlainObject(x)) {
        const keys = Object.keys(x);
        if (keys.length > L.maxKeys) {
          failed = true;
          return void issues.add(p, `${keys.length} keys, more than the limit of ${L.maxKeys}`);
        }
        const out: Record<string, Json> = {};
        for (const k of keys) {
          if (FORBIDDEN_KEYS.has(k) || k.length > 200) {
            failed = true;
            return void issues.add(p, `key "${k.slice(0, 60)}" is not allowed`);
          }
          const r = walk(x[k], `${p}.${k}`, depth + 1);
          if (r === undefined) return undefined;
          out[k] = r;
        }
        return out;
      }
      failed = true;
      return void issues.add(p, `not JSON (${describe(x)})`);
    };
    return walk(v, path, 0);
  };
}

/**
 * Plain JSON that a feature's own parser (which throws with a reason) also accepts; the JSON is
 * kept as it was, so a section round-trips unchanged and the feature reads it with its parser.
 */
export function checkedJson(inner: Check<Json>, parse: (v: Json) => unknown): Check<Json> {
  return (v, path, issues) => {
    const j = inner(v, path, issues);
    if (j === undefined) return undefined;
    try {
      parse(j);
      return j;
    } catch (e) {
      return void issues.add(path, e instanceof Error ? e.message : String(e));
    }
  };
}
