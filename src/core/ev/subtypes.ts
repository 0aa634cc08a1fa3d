// EV subtypes from marker counts: a marker is present when its count reaches the channel's
// threshold, and the subtype is the set of markers present, coded as a bitmask (bit c for
// marker c), so 3 markers give 8 subtypes. Names follow the field's habit ("CD63-only",
// "CD9+CD63+CD81+") and can be renamed by the user through a mapping from the default names.
import { type BootstrapOptions, bootstrapFractionCi, type FractionCi } from '../stats/bootstrap';

/** Name of the subtype with no marker present. */
export const MARKER_NEGATIVE = 'marker-negative';

/** "CD63-only" for one marker, "CD9+CD63+" for several (in channel order), MARKER_NEGATIVE for none. */
export function defaultSubtypeName(code: number, markerNames: readonly string[]): string {
  const present = markerNames.filter((_, c) => (code >> c) & 1);
  if (present.length === 0) return MARKER_NEGATIVE;
  if (present.length === 1) return `${present[0]}-only`;
  return present.map((m) => `${m}+`).join('');
}

/**
 * Names indexed by subtype code. `rename` maps default names to the user's; unknown keys are
 * an error so a typo does not silently leave a subtype unrenamed.
 */
export function subtypeNames(
  markerNames: readonly string[],
  rename: Readonly<Record<string, string>> = {},
): string[] {
  const names: string[] = [];
  for (let code = 0; code < 1 << markerNames.length; code++)
    names.push(defaultSubtypeName(code, markerNames));
  for (const key of Object.keys(rename)) {
    if (!names.includes(key))
      throw new RangeError(`no subtype is called "${key}"; the subtypes are ${names.join(', ')}`);
  }
  return names.map((n) => rename[n] ?? n);
}

/**
 * Subtype code per EV. counts[c][e] is marker c's count in EV e; an EV with a NaN count in any
 * marker cannot be classified and gets code −1.
 */
export function assignSubtypes(counts: readonly Float64Array[], thresholds: readonly number[]): Int16Array {
  if (counts.length !== thresholds.length) throw new RangeError('one threshold per marker is needed');
  const n = counts.length ? counts[0].length : 0;
  const out = new Int16Array(n);
  for (let e = 0; e < n; e++) {
    let code = 0;
    for (let c = 0; c < counts.length; c++) {
      const v = counts[c][e];
      if (Number.isNaN(v)) {
        code = -1;
        break;
      }
      if (v >= thresholds[c]) code |= 1 << c;
    }
    out[e] = code;
  }
  return out;
}

/**
 * Each marker's share of the EV's total count, for a ternary plot; NaN for EVs with no counted
 * molecule (they have no composition) or a NaN count. Negative counts are treated as 0.
 */
export function markerComposition(counts: readonly Float64Array[]): Float64Array[] {
  const n = counts.length ? counts[0].length : 0;
  const out = counts.map(() => new Float64Array(n));
  for (let e = 0; e < n; e++) {
    let total = 0;
    for (const c of counts) total += Math.max(0, c[e]);
    for (let c = 0; c < counts.length; c++)
      out[c][e] = total > 0 ? Math.max(0, counts[c][e]) / total : Number.NaN;
  }
  return out;
}

export interface SubtypeFractions extends FractionCi {
  names: string[];
}

/** Fractions of each subtype among classified EVs with percentile-bootstrap CIs. */
export function subtypeFractions(
  codes: Int16Array,
  names: string[],
  options: BootstrapOptions = {},
): SubtypeFractions {
  return { ...bootstrapFractionCi(codes, names.length, options), names };
}
