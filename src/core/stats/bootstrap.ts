// Bootstrap confidence intervals for the fractions of EVs in each subtype: resample EVs with
// replacement (a seeded Rng, so a session reproduces its intervals) and take percentiles.
import { Rng } from '../random';
import { quantileSorted } from './descriptive';

export interface FractionCi {
  /** Observed fraction per class. */
  fraction: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** Observed count per class. */
  count: Uint32Array;
  n: number;
}

export interface BootstrapOptions {
  /** Resamples; 2000 puts the 2.5 % percentile's Monte-Carlo error well below 1 point. */
  iterations?: number;
  /** Central coverage of the interval, e.g. 0.95. */
  level?: number;
  seed?: number;
}

/**
 * Percentile-bootstrap CIs of class fractions. `labels[i]` is EV i's class in [0, nClasses);
 * negative labels (unclassified EVs) are left out of the denominator.
 */
export function bootstrapFractionCi(
  labels: ArrayLike<number>,
  nClasses: number,
  options: BootstrapOptions = {},
): FractionCi {
  const iterations = options.iterations ?? 2000;
  const level = options.level ?? 0.95;
  if (!(iterations >= 1)) throw new RangeError(`bootstrap iterations must be ≥ 1 (got ${iterations})`);
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1) (got ${level})`);
  const kept = new Int32Array(labels.length);
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l >= 0) {
      if (l >= nClasses || !Number.isInteger(l))
        throw new RangeError(`label ${l} is not a class in [0, ${nClasses})`);
      kept[n++] = l;
    }
  }
  const count = new Uint32Array(nClasses);
  for (let i = 0; i < n; i++) count[kept[i]]++;
  const fraction = new Float64Array(nClasses);
  const lower = new Float64Array(nClasses).fill(Number.NaN);
  const upper = new Float64Array(nClasses).fill(Number.NaN);
  if (n === 0) return { fraction: fraction.fill(Number.NaN), lower, upper, count, n };
  for (let c = 0; c < nClasses; c++) fraction[c] = count[c] / n;
  // Resampled fractions class-major, so each class's distribution is one contiguous sortable run.
  const samples = new Float64Array(nClasses * iterations);
  const rc = new Uint32Array(nClasses);
  const rng = new Rng(options.seed ?? 1, 0x0b00);
  for (let b = 0; b < iterations; b++) {
    rc.fill(0);
    for (let i = 0; i < n; i++) rc[kept[Math.floor(rng.uniform() * n)]]++;
    for (let c = 0; c < nClasses; c++) samples[c * iterations + b] = rc[c] / n;
  }
  const alpha = (1 - level) / 2;
  for (let c = 0; c < nClasses; c++) {
    const s = samples.subarray(c * iterations, (c + 1) * iterations).sort();
    lower[c] = quantileSorted(s, alpha);
    upper[c] = quantileSorted(s, 1 - alpha);
  }
  return { fraction, lower, upper, count, n };
}
