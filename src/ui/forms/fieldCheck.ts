// What a form field says about typed text: the text is read as a number and checked by the
// parameter set's own schema (the one sessions, links, `window.evscope` and the CLI flags use), so
// the panel refuses exactly what a session file would, with the limit in the message.
import { v } from '../../core/schema';

export type FieldCheck<T = number | null | undefined> =
  | { ok: true; value: T }
  | { ok: false; reason: string };

/** A number field's schema: its output is the number, or null / undefined for an empty field. */
export type NumberSchema<T extends number | null | undefined = number | null | undefined> = v.GenericSchema<
  unknown,
  T
>;

const fmt = (n: unknown) =>
  typeof n === 'number' ? n.toLocaleString('en', { maximumFractionDigits: 12 }) : '';

/** A schema issue as the sentence under a field: "Must be at least 1 px.", with the unit. */
export function fieldMessage(issue: v.BaseIssue<unknown>, unit?: string): string {
  const u = unit ? ` ${unit}` : '';
  const limit = `${fmt(issue.requirement)}${u}.`;
  switch (issue.type) {
    case 'min_value':
      return `Must be at least ${limit}`;
    case 'gt_value':
      return `Must be greater than ${limit}`;
    case 'max_value':
      return `Must be at most ${limit}`;
    case 'lt_value':
      return `Must be less than ${limit}`;
    case 'integer':
      return 'Must be a whole number.';
    case 'number':
    case 'finite':
      return 'Enter a number.';
    default: {
      const m = issue.message.trim();
      return `${m.charAt(0).toUpperCase()}${m.slice(1)}${/[.!?]$/.test(m) ? '' : '.'}`;
    }
  }
}

/**
 * Typed text through a number field's schema. Empty text is null when the schema allows it (a
 * nullable or optional field: "auto", "from the file"); a decimal comma is read as a point.
 */
export function checkNumberText<T extends number | null | undefined>(
  schema: NumberSchema<T>,
  text: string,
  unit?: string,
): FieldCheck<T> {
  const t = text.trim();
  if (t === '') {
    if (v.is(schema, null)) return { ok: true, value: null as T };
    if (v.is(schema, undefined)) return { ok: true, value: undefined as T };
    return { ok: false, reason: 'A value is needed.' };
  }
  // Digit groups ("1 000", "1_000") and a decimal comma are read as typed.
  const n = Number(t.replace(/[\s_]/g, '').replace(',', '.'));
  if (!Number.isFinite(n)) return { ok: false, reason: `“${t}” is not a number.` };
  const r = v.safeParse(schema, n);
  if (r.success) return { ok: true, value: r.output };
  return { ok: false, reason: fieldMessage(r.issues[0], unit) };
}

/** The field's schema with limits that depend on the data open now (frames, image size). */
export function within<T extends number | null | undefined>(
  schema: NumberSchema<T>,
  max: number,
  min = -Infinity,
): NumberSchema<T> {
  const s = schema as v.GenericSchema<unknown, number>;
  const limited = min > -Infinity ? v.pipe(s, v.minValue(min), v.maxValue(max)) : v.pipe(s, v.maxValue(max));
  return limited as unknown as NumberSchema<T>;
}
