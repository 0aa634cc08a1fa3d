// One schema per parameter set, shared by the panel, the store, the session file, the `#s=` link,
// `window.evscope` and the CLI flags. Every parameter set's schema lives next to its kernel's
// params (src/core/<feature>/params.ts) and its TypeScript type is `v.InferOutput` of it, so a
// field added in one place is checked in all of them.
//
// Why valibot rather than zod (measured 2026-12, Node 20, esbuild --minify, one 8-field object):
//   bundle bytes added: valibot 4.4 kB (1.7 kB gzip); zod 4 454 kB (93 kB gzip), zod/mini 15 kB;
//   safeParse ×1e5: valibot ≈ 0.4 s, zod ≈ 0.8 s (on this shared 2-core machine).
// valibot's functions are tree-shaken one by one, so the app pays only for the checks it uses:
// `vite build` of the app with every schema in place is 19.9 kB (5.2 kB gzip) larger than without
// (main chunk only; the workers do not import it).
//
// Values from outside (session files, links, scripts, flags) are untrusted: `parseFields` keeps
// every good field and puts the default in place of a bad one with a warning naming the field and
// the value, so one damaged setting never costs the user the rest of the session.
import * as v from 'valibot';

export { v };

/** Any object schema whose entries can be checked one by one. */
// biome-ignore lint/suspicious/noExplicitAny: valibot's own generic bound for object schemas
export type AnyObjectSchema = v.ObjectSchema<v.ObjectEntries, any>;

/** The field an issue is about: `where.key[3].sub`. */
function issuePath(issue: v.BaseIssue<unknown>, where: string, dropLast = false): string {
  const keys = (issue.path ?? []).slice(0, dropLast ? -1 : undefined);
  let out = where;
  for (const p of keys)
    out += typeof p.key === 'number' ? `[${p.key}]` : `${out ? '.' : ''}${String(p.key).slice(0, 40)}`;
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  strict_object: 'an object',
  array: 'a list',
  literal: 'the value',
};

/** The problem in words, with the value that caused it (valibot's `received` is already quoted). */
function reason(issue: v.BaseIssue<unknown>): string {
  const got = (issue.received ?? '').slice(0, 60);
  const isKey = issue.path?.at(-1)?.origin === 'key';
  if (isKey && issue.expected === 'never') return `unknown field ${got}`;
  if (isKey && issue.received === 'undefined') return 'missing';
  switch (issue.type) {
    case 'picklist':
    case 'variant':
    case 'union':
    case 'literal':
      return `${got} is not one of ${issue.expected?.replace(/^\(|\)$/g, '').replaceAll(' | ', ', ')}`;
    case 'min_value':
    case 'gt_value':
      return `${got} is below the minimum${issue.type === 'gt_value' ? ' (exclusive)' : ''} ${String(issue.requirement)}`;
    case 'max_value':
    case 'lt_value':
      return `${got} is above the maximum${issue.type === 'lt_value' ? ' (exclusive)' : ''} ${String(issue.requirement)}`;
    case 'integer':
      return `expected a whole number, got ${got}`;
    case 'finite':
      return `expected a finite number, got ${got}`;
    case 'max_length':
    case 'max_entries':
      return `more than ${String(issue.requirement)} (${got})`;
    default: {
      const want = TYPE_WORDS[issue.type];
      return want ? `expected ${want}, got ${got}` : issue.message;
    }
  }
}

/** An issue as one line: "where.field: problem with the value". */
export function issueLine(issue: v.BaseIssue<unknown>, where: string): string {
  const isKey = issue.path?.at(-1)?.origin === 'key' && issue.expected === 'never';
  const path = issuePath(issue, where, isKey);
  const msg = reason(issue);
  const text = msg.length > 300 ? `${msg.slice(0, 300)}…` : msg;
  return path ? `${path}: ${text}` : text;
}

/** The value, or an Error whose message names the field and the value (scripting, flags). */
export function parseOrThrow<S extends v.GenericSchema>(schema: S, input: unknown, where: string) {
  const r = v.safeParse(schema, input);
  if (r.success) return r.output as v.InferOutput<S>;
  throw new Error(issueLine(r.issues[0], where));
}

function show(x: unknown): string {
  const s = JSON.stringify(x);
  if (s === undefined) return String(x);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/** Defaults are plain JSON data; a copy so no caller can change them through a parsed value. */
function copy<T>(x: T): T {
  return x === undefined ? x : (JSON.parse(JSON.stringify(x)) as T);
}

export interface Parsed<T> {
  value: T;
  /** One per field that fell back to its default. */
  warnings: string[];
}

const isPlain = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * `input` checked field by field, into nested objects: a missing field (or a null where null is
 * not allowed: how older files wrote "unset") takes its default silently, a bad one takes its
 * default with a warning, unknown fields are dropped.
 */
export function parseFields<S extends AnyObjectSchema>(
  schema: S,
  input: unknown,
  defaults: v.InferOutput<S>,
  where: string,
): Parsed<v.InferOutput<S>> {
  const warnings: string[] = [];
  const value = fields(schema, input, defaults as Record<string, unknown>, where, warnings);
  return { value: value as v.InferOutput<S>, warnings };
}

function fields(
  schema: AnyObjectSchema,
  input: unknown,
  dflt: Record<string, unknown>,
  where: string,
  warnings: string[],
): Record<string, unknown> {
  if (!isPlain(input)) {
    if (input !== undefined && input !== null)
      warnings.push(`${where}: expected an object, got ${show(input)}: using the defaults`);
    return copy(dflt);
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.entries)) {
    const x = input[key];
    const d = dflt[key];
    const nested = field.type === 'object' && isPlain(d) && isPlain(x);
    if (nested) {
      out[key] = fields(field as AnyObjectSchema, x, d, `${where}.${key}`, warnings);
      continue;
    }
    const r = x === undefined ? null : v.safeParse(field, x);
    if (r?.success) out[key] = r.output;
    else if (d !== undefined) out[key] = copy(d);
    if (r && !r.success && x !== null)
      warnings.push(`${issueLine(r.issues[0], `${where}.${key}`)}: using the default ${show(d)}`);
  }
  return out;
}

// Small building blocks so the parameter modules read like their documentation.

/** A finite number in [min, max]. */
export const numIn = (min = -Number.MAX_VALUE, max = Number.MAX_VALUE) =>
  v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max));

/** A finite number > min (and ≤ max). */
export const above = (min: number, max = Number.MAX_VALUE) =>
  v.pipe(v.number(), v.finite(), v.gtValue(min), v.maxValue(max));

/** An integer in [min, max]. */
export const intIn = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

/** Text of bounded length without control characters (names from files are shown in the UI). */
export const text = (max: number) =>
  v.pipe(
    v.string(),
    v.maxLength(max),
    v.check(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
      (s) => !/[\u0000-\u001f\u007f]/.test(s),
      'text contains control characters',
    ),
  );

export interface Bounds {
  min: number;
  /** Whether `min` itself is allowed. */
  minInclusive: boolean;
  max: number;
  /** Whether `max` itself is allowed. */
  maxInclusive: boolean;
}

/** A number schema's range, read from its pipe (for a form field's limits and messages). */
export function boundsOf(schema: v.GenericSchema): Bounds {
  const b: Bounds = { min: -Infinity, minInclusive: true, max: Infinity, maxInclusive: true };
  const inner = 'wrapped' in schema ? (schema.wrapped as v.GenericSchema) : schema;
  for (const item of 'pipe' in inner ? (inner.pipe as { type: string; requirement?: unknown }[]) : []) {
    const r = item.requirement;
    if (typeof r !== 'number') continue;
    if (item.type === 'min_value' || item.type === 'gt_value') {
      b.min = r;
      b.minInclusive = item.type === 'min_value';
    } else if (item.type === 'max_value' || item.type === 'lt_value') {
      b.max = r;
      b.maxInclusive = item.type === 'max_value';
    }
  }
  return b;
}

const isRangeIssue = (issue: v.BaseIssue<unknown>) =>
  ['min_value', 'gt_value', 'max_value', 'lt_value'].includes(issue.type);

/** "allowed 0.1–100000 nm", "allowed > 0 s", "allowed ≤ 1": a number field's limits in words. */
export function allowedRange(field: v.GenericSchema, unit: string): string {
  const b = boundsOf(field);
  const u = unit ? ` ${unit}` : '';
  const set = (x: number) => Math.abs(x) < Number.MAX_SAFE_INTEGER;
  const lo = set(b.min) ? b.min : null;
  const hi = set(b.max) ? b.max : null;
  const above = lo === null ? '' : `${b.minInclusive ? '≥' : '>'} ${lo}`;
  const below = hi === null ? '' : `${b.maxInclusive ? '≤' : '<'} ${hi}`;
  if (lo !== null && hi !== null && b.minInclusive && b.maxInclusive) return `allowed ${lo}–${hi}${u}`;
  if (above && below) return `allowed ${above} and ${below}${u}`;
  return above || below ? `allowed ${above || below}${u}` : `any number${u}`;
}

/**
 * For a value outside the field's limits, " (allowed 0.1–100000 nm)" to follow issueLine, so the
 * message names the whole range and its unit; "" for any other issue.
 */
export function rangeNote(issue: v.BaseIssue<unknown>, field: v.GenericSchema, unit: string): string {
  return isRangeIssue(issue) ? ` (${allowedRange(field, unit)})` : '';
}

/** The schema of the field at `keys` inside object schemas (optional, nullable and pipes looked through). */
export function fieldAt(schema: v.GenericSchema, keys: readonly PropertyKey[]): v.GenericSchema | undefined {
  let s: v.GenericSchema | undefined = schema;
  for (const k of keys) {
    while (s && !('entries' in s)) {
      if ('wrapped' in s) s = s.wrapped as v.GenericSchema;
      else if ('pipe' in s) s = (s.pipe as v.GenericSchema[])[0];
      else return undefined;
    }
    s = s ? (s.entries as Record<PropertyKey, v.GenericSchema>)[k] : undefined;
  }
  return s;
}
