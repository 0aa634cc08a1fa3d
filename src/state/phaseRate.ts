// Rate and time left of a run that goes through phases (detect, traces, steps…) of different
// speeds: the rate is measured from the start of the current phase, so a slow first phase does
// not make the next one's ETA wrong.

export interface PhasedProgress {
  phase: string;
  /** Items done and in all, in the current phase. */
  done: number;
  total: number;
  /** Seconds since the run started. */
  elapsed: number;
}

/** A progress report with its phase's rate (items per second) and the seconds left at that rate. */
export type WithRate<P> = P & { rate: number; etaSeconds: number };

/** A function that adds the current phase's rate and ETA to each report of one run. */
export function phaseRate<P extends PhasedProgress>(): (p: P) => WithRate<P> {
  let phase = '';
  let t0 = 0;
  let d0 = 0;
  return (p) => {
    if (p.phase !== phase) {
      phase = p.phase;
      t0 = p.elapsed;
      d0 = p.done;
    }
    const dt = p.elapsed - t0;
    const rate = dt > 0 ? (p.done - d0) / dt : 0;
    return { ...p, rate, etaSeconds: rate > 0 ? (p.total - p.done) / rate : Number.NaN };
  };
}
