// Subtypes, composition and probe counts from an EV table's per-channel counts. Split from the
// counting itself so that changing a presence threshold, a subtype's name or which count decides
// (steps or ratio) re-types the EVs in milliseconds instead of re-reading the stack.
import type { ColumnArray } from '../locs/table';
import type { BootstrapOptions } from '../stats/bootstrap';
import { type PairwiseComparison, pairwiseComparisons } from '../stats/multipleComparisons';
import {
  assignSubtypes,
  markerComposition,
  type SubtypeFractions,
  subtypeFractions,
  subtypeNames,
} from './subtypes';

export interface ClassifyChannel {
  name: string;
  role: 'marker' | 'probe';
  /** Molecules needed to call the marker present (ignored for the probe). */
  threshold: number;
}

export interface Classification {
  /** Subtype code per EV (bit c = marker c present), −1 when a count is missing. */
  subtype: Int32Array;
  /** Names indexed by code, after the user's renames. */
  subtypeNames: string[];
  markerNames: string[];
  /** Each marker's share of the EV's marker molecules (NaN for EVs with none). */
  composition: Record<string, Float64Array>;
  /** The probe channel's count per EV, when a probe is counted. */
  probe: Float64Array | null;
}

/** Which count decides: bleaching steps, intensity ratio, or localizations (PALM/dSTORM). */
export type CountMethod = 'steps' | 'ratio' | 'locs';

/**
 * Classifies the EVs of a table with `<name> steps` / `<name> ratio` (and, for localizations,
 * `<name> locs`) columns. `method` picks which count decides; `rename` maps default subtype
 * names to the user's. Channels without localizations have no 'locs' count: their EVs are
 * unclassified rather than wrongly typed.
 */
export function classifyEvs(
  columns: Record<string, ColumnArray>,
  channels: readonly ClassifyChannel[],
  method: CountMethod,
  rename: Readonly<Record<string, string>> = {},
): Classification {
  const n = columns.id?.length ?? Object.values(columns)[0]?.length ?? 0;
  const count = (name: string): Float64Array => {
    const c = columns[`${name} ${method}`];
    if (!c) {
      if (method === 'locs') return new Float64Array(n).fill(Number.NaN);
      throw new RangeError(`the table has no "${name} ${method}" column`);
    }
    return c instanceof Float64Array ? c : Float64Array.from(c);
  };
  const markers = channels.filter((c) => c.role === 'marker');
  const markerNames = markers.map((c) => c.name);
  const counts = markers.map((c) => count(c.name));
  const subtype = Int32Array.from(
    assignSubtypes(
      counts,
      markers.map((c) => c.threshold),
    ),
  );
  const comp = markerComposition(counts);
  const composition: Record<string, Float64Array> = {};
  markers.forEach((c, i) => {
    composition[c.name] = comp[i];
  });
  const probeChannel = channels.find((c) => c.role === 'probe');
  return {
    subtype,
    subtypeNames: subtypeNames(markerNames, rename),
    markerNames,
    composition,
    probe: probeChannel ? count(probeChannel.name).slice() : null,
  };
}

export type ProbeTest = 'welch' | 'mann-whitney';

export interface SubtypeStatistics {
  fractions: SubtypeFractions;
  /** Probe counts compared between every pair of subtypes with ≥ 2 EVs, Bonferroni-corrected. */
  comparisons: PairwiseComparison[];
  test: ProbeTest;
}

/** One row per subtype: count, fraction and its CI (the CLI's --json and `evscope.markerResults`). */
export function fractionRows(f: SubtypeFractions) {
  return f.names.map((name, k) => ({
    name,
    count: f.count[k],
    fraction: f.fraction[k],
    lower: f.lower[k],
    upper: f.upper[k],
  }));
}

/** Fractions with bootstrap CIs and the pairwise probe-count tests of a classification. */
export function subtypeStatistics(
  c: Classification,
  test: ProbeTest,
  bootstrap: BootstrapOptions = {},
): SubtypeStatistics {
  const fractions = subtypeFractions(Int16Array.from(c.subtype), c.subtypeNames, bootstrap);
  let comparisons: PairwiseComparison[] = [];
  if (c.probe) {
    const groups = c.subtypeNames.map((name, code) => ({
      name,
      values: c.probe!.filter((_, e) => c.subtype[e] === code),
    }));
    comparisons = pairwiseComparisons(groups, test);
  }
  return { fractions, comparisons, test };
}
