// The intensity of one molecule, learnt from the data: the last bleaching step of a trace takes
// the EV from one molecule to background, so across EVs the final step heights cluster at the
// unit (a few are two molecules bleaching together, or a noise-split step). A median restricted
// to a window around the running estimate ignores those.

export interface UnitIntensity {
  /** Robust central value of single-molecule step heights (trace units). */
  unit: number;
  /** Standard error of `unit` (≈ 1.2533 · spread / √n, the median's efficiency for normal data). */
  sem: number;
  /** Robust σ of single steps: molecule-to-molecule brightness spread plus step-height noise. */
  spread: number;
  /** Steps used after the window trimming. */
  n: number;
}

/** Fewer final steps than this make the unit estimate meaningless. */
export const MIN_UNIT_STEPS = 5;

/**
 * Robust unit from candidate single-molecule step heights: median, then three rounds of the
 * median within [0.5, 1.5] × the current estimate. Returns NaNs when there are too few steps.
 */
export function estimateUnitIntensity(heights: ArrayLike<number>): UnitIntensity {
  const all = Float64Array.from(heights).filter((h) => h > 0 && Number.isFinite(h));
  if (all.length < MIN_UNIT_STEPS)
    return { unit: Number.NaN, sem: Number.NaN, spread: Number.NaN, n: all.length };
  all.sort();
  let unit = medianSorted(all);
  let kept = all;
  for (let round = 0; round < 3; round++) {
    const lo = 0.5 * unit;
    const hi = 1.5 * unit;
    const next = all.filter((h) => h >= lo && h <= hi);
    if (next.length < MIN_UNIT_STEPS) break;
    kept = next;
    unit = medianSorted(kept);
  }
  const dev = kept.map((h) => Math.abs(h - unit)).sort();
  const spread = 1.482602218505602 * medianSorted(dev);
  return { unit, sem: (1.2533141373155 * spread) / Math.sqrt(kept.length), spread, n: kept.length };
}

function medianSorted(a: Float64Array): number {
  const n = a.length;
  return n & 1 ? a[(n - 1) >> 1] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
}
