// Molecules per EV from PALM/dSTORM localizations: one molecule blinks, so it appears as several
// bursts of consecutive-frame detections. Detections are merged into bursts (same place within
// a radius, at most g dark frames apart), and the burst count is divided by the mean number of
// bursts per molecule, a calibration of the dye (Patel, Owen & Cohen, bioRxiv 10.1101/834572).
// The general blink-merging kernel lives in src/core/locs; this small private one exists so a
// per-EV count needs no table round trip. A table already merged elsewhere is passed with
// `alreadyMerged: true`, and then every row is one burst.

export interface LocalizationCountParams {
  /** Detections of one burst lie within this distance (nm) of the burst's previous detection. */
  mergeRadiusNm: number;
  /** Dark frames tolerated inside one burst (0: strictly consecutive frames). */
  maxDarkFrames: number;
  /** Mean bursts per molecule, from a calibration (≥ 1). */
  burstsPerMolecule: number;
  /**
   * Variance of bursts per molecule; default b(b − 1), the geometric distribution of a dye that
   * returns from the dark state with a fixed probability each time.
   */
  burstsVariance?: number;
  alreadyMerged?: boolean;
}

export interface LocalizationCounts {
  bursts: Uint32Array;
  /** bursts / burstsPerMolecule. */
  count: Float64Array;
  /** √(N · var) / b: the spread of the burst total of N molecules, in molecules. */
  countSd: Float64Array;
}

/**
 * The EV each localization belongs to (nearest EV centre within radiusNm), −1 for none.
 * A uniform grid of cell size radiusNm keeps this linear in the number of localizations.
 */
export function assignLocalizationsToEvs(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  evX: ArrayLike<number>,
  evY: ArrayLike<number>,
  radiusNm: number,
): Int32Array {
  const out = new Int32Array(x.length).fill(-1);
  if (evX.length === 0 || !(radiusNm > 0)) return out;
  const cell = radiusNm;
  const grid = new Map<number, number[]>();
  const key = (cx: number, cy: number) => cx * 73856093 + cy * 19349663;
  for (let e = 0; e < evX.length; e++) {
    const k = key(Math.floor(evX[e] / cell), Math.floor(evY[e] / cell));
    const list = grid.get(k);
    if (list) list.push(e);
    else grid.set(k, [e]);
  }
  const r2 = radiusNm * radiusNm;
  for (let i = 0; i < x.length; i++) {
    const cx = Math.floor(x[i] / cell);
    const cy = Math.floor(y[i] / cell);
    let best = -1;
    let bestD = r2;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const list = grid.get(key(cx + dx, cy + dy));
        if (!list) continue;
        for (const e of list) {
          const d = (x[i] - evX[e]) ** 2 + (y[i] - evY[e]) ** 2;
          if (d <= bestD) {
            bestD = d;
            best = e;
          }
        }
      }
    }
    out[i] = best;
  }
  return out;
}

/** Counts molecules per EV; evIndex[i] is localization i's EV (−1: none). */
export function countFromLocalizations(
  frame: ArrayLike<number>,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  evIndex: Int32Array,
  nEv: number,
  params: LocalizationCountParams,
): LocalizationCounts {
  const b = params.burstsPerMolecule;
  if (!(b >= 1)) throw new RangeError(`bursts per molecule must be ≥ 1 (got ${b})`);
  if (!(params.mergeRadiusNm >= 0))
    throw new RangeError(`merge radius must be ≥ 0 nm (got ${params.mergeRadiusNm})`);
  if (!(params.maxDarkFrames >= 0))
    throw new RangeError(`dark frames must be ≥ 0 (got ${params.maxDarkFrames})`);
  const varB = params.burstsVariance ?? b * (b - 1);
  const bursts = new Uint32Array(nEv);
  // Group localizations by EV, then by frame within the EV (a counting sort, then per-EV sorts).
  const start = new Int32Array(nEv + 1);
  for (let i = 0; i < evIndex.length; i++) if (evIndex[i] >= 0) start[evIndex[i] + 1]++;
  for (let e = 0; e < nEv; e++) start[e + 1] += start[e];
  const order = new Int32Array(start[nEv]);
  const fill = start.slice(0, nEv);
  for (let i = 0; i < evIndex.length; i++) if (evIndex[i] >= 0) order[fill[evIndex[i]]++] = i;
  const r2 = params.mergeRadiusNm * params.mergeRadiusNm;
  const gap = params.maxDarkFrames + 1;
  let openX = new Float64Array(16);
  let openY = new Float64Array(16);
  let openLast = new Float64Array(16);
  for (let e = 0; e < nEv; e++) {
    const a = start[e];
    const z = start[e + 1];
    if (params.alreadyMerged) {
      bursts[e] = z - a;
      continue;
    }
    order.subarray(a, z).sort((i, j) => frame[i] - frame[j]);
    if (z - a > openX.length) {
      openX = new Float64Array(z - a);
      openY = new Float64Array(z - a);
      openLast = new Float64Array(z - a);
    }
    let nOpen = 0;
    for (let k = a; k < z; k++) {
      const i = order[k];
      const f = frame[i];
      // Join the nearest burst seen 1 … gap frames ago within the radius; else start a burst.
      let best = -1;
      let bestD = r2;
      for (let o = 0; o < nOpen; o++) {
        const df = f - openLast[o];
        if (df < 1 || df > gap) continue;
        const d = (x[i] - openX[o]) ** 2 + (y[i] - openY[o]) ** 2;
        if (d <= bestD) {
          bestD = d;
          best = o;
        }
      }
      if (best < 0) best = nOpen++;
      openX[best] = x[i];
      openY[best] = y[i];
      openLast[best] = f;
    }
    bursts[e] = nOpen;
  }
  const count = new Float64Array(nEv);
  const countSd = new Float64Array(nEv);
  for (let e = 0; e < nEv; e++) {
    count[e] = bursts[e] / b;
    countSd[e] = Math.sqrt(count[e] * varB) / b;
  }
  return { bursts, count, countSd };
}
