// Minimal flag parser: `--name value`, `--flag`, and positionals. Unknown flags are errors so
// a typo never silently falls back to a default.
import { issueLine, rangeNote, v } from '../core/schema';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(args: string[], known: { values: string[]; booleans?: string[] }): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  const booleans = new Set(known.booleans ?? []);
  const values = new Set(known.values);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (booleans.has(name)) {
      flags.set(name, true);
    } else if (values.has(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) throw new Error(`--${name} needs a value`);
      flags.set(name, v);
    } else {
      throw new Error(`unknown option --${name}`);
    }
  }
  return { positionals, flags };
}

export function numberFlag(p: ParsedArgs, name: string): number | undefined {
  const v = p.flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${String(v)}"`);
  return n;
}

/** A value flag's text, or undefined when absent. */
export function stringFlag(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/**
 * A flag's value through the field's schema (the parameter set's, shared with the panel, session
 * files and links), so a bad value gets the same rule and message everywhere:
 * `--window: expected a whole number, got 1.5`. Numeric text is read as a number. With `unit`, a
 * value outside the limits is told the whole allowed range in that unit:
 * `--radius: -1 is below the minimum 0.1 (allowed 0.1–100000 nm)`.
 */
export function schemaFlag<S extends v.GenericSchema>(
  p: ParsedArgs,
  name: string,
  field: S,
  unit?: string,
): v.InferOutput<S> | undefined {
  const raw = p.flags.get(name);
  if (raw === undefined) return undefined;
  const value =
    typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return schemaValue(field, value, `--${name}`, unit);
}

/** A value from the command line through a field's schema; `where` names it in the message. */
export function schemaValue<S extends v.GenericSchema>(
  field: S,
  value: unknown,
  where: string,
  unit?: string,
): v.InferOutput<S> {
  const r = v.safeParse(field, value);
  if (r.success) return r.output;
  const issue = r.issues[0];
  throw new Error(`${issueLine(issue, where)}${unit === undefined ? '' : rangeNote(issue, field, unit)}`);
}
