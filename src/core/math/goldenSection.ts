// Golden-section search for the minimum of a unimodal function on [lo, hi]: one evaluation per
// iteration, no derivatives, the bracket shrinking by 0.618 each time.

export interface GoldenSectionOptions {
  /** Most iterations (default 100). */
  maxIterations?: number;
  /** Stop once the bracket is narrower than this (default 0: run every iteration). */
  tolerance?: number;
}

/** The midpoint of the final bracket around the minimum of `f` on [lo, hi]. */
export function goldenSectionMin(
  f: (x: number) => number,
  lo: number,
  hi: number,
  options: GoldenSectionOptions = {},
): number {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 0;
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = f(a);
  let fb = f(b);
  for (let it = 0; it < maxIterations && hi - lo > tolerance; it++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = f(b);
    }
  }
  return (lo + hi) / 2;
}
