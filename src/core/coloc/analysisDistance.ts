// Where the distance analysis gets its signed distances. Sign convention (SCIENCE.md §4):
// outside a structure the distance to its nearest pixel (> 0); inside, minus the distance to its
// boundary (< 0). The analysis only asks a provider; the exact EDT (src/core/coloc/edt.ts) plugs in
// through per-frame distance maps (`mapProvider`) or per-structure maps
// (`structureMapProvider`), and analytic shapes serve tests and simulations.

export interface SignedDistanceProvider {
  /**
   * Signed distance (nm) from (x, y) to the nearest structure in movie frame `frame`.
   * +Infinity when the frame has no structure; NaN when (x, y) is outside the measured field.
   */
  distance(frame: number, x: number, y: number): number;
  /**
   * Optional: the signed distance to every structure in the frame, written to `out` (grown by
   * the caller to `maxStructures`); returns how many were written. Used for pooled histograms.
   */
  structureDistances?(frame: number, x: number, y: number, out: Float64Array): number;
  /** Upper bound of structureDistances' count over all frames. */
  readonly maxStructures?: number;
}

/**
 * A distance image on the render grid: pixel (i, j) holds the distance at its centre,
 * (x0 + (i + ½)·pixelNm, y0 + (j + ½)·pixelNm); row-major, `width` pixels per row.
 */
export interface DistanceMap {
  readonly x0: number;
  readonly y0: number;
  readonly pixelNm: number;
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array | Float64Array;
}

export type Interpolation = 'nearest' | 'bilinear';

/**
 * Reads a map at (x, y): the containing pixel ('nearest') or bilinear between the four nearest
 * pixel centres (clamped to the outermost centres within the last half pixel). NaN off the map.
 * Bilinear places the zero crossing of a signed map between pixels, i.e. sub-pixel edges.
 */
export function sampleMap(m: DistanceMap, x: number, y: number, interp: Interpolation): number {
  const u = (x - m.x0) / m.pixelNm;
  const v = (y - m.y0) / m.pixelNm;
  if (!(u >= 0 && v >= 0 && u < m.width && v < m.height)) return Number.NaN;
  if (interp === 'nearest') return m.data[Math.floor(v) * m.width + Math.floor(u)];
  const fu = Math.min(Math.max(u - 0.5, 0), m.width - 1);
  const fv = Math.min(Math.max(v - 0.5, 0), m.height - 1);
  const i = Math.min(Math.floor(fu), Math.max(m.width - 2, 0));
  const j = Math.min(Math.floor(fv), Math.max(m.height - 2, 0));
  const i1 = Math.min(i + 1, m.width - 1);
  const j1 = Math.min(j + 1, m.height - 1);
  const a = fu - i;
  const b = fv - j;
  const d = m.data;
  const w = m.width;
  return (
    (1 - b) * ((1 - a) * d[j * w + i] + a * d[j * w + i1]) +
    b * ((1 - a) * d[j1 * w + i] + a * d[j1 * w + i1])
  );
}

/**
 * Provider over one signed-distance map per movie frame (nearest structure; e.g. the EDT of the
 * binarized frame). `maps(frame)` may return the same map for several frames or undefined when
 * a frame has none (→ NaN).
 */
export function mapProvider(
  maps: readonly DistanceMap[] | ((frame: number) => DistanceMap | undefined),
  interp: Interpolation = 'bilinear',
): SignedDistanceProvider {
  const get = typeof maps === 'function' ? maps : (f: number) => maps[f];
  return {
    distance(frame, x, y) {
      const m = get(frame);
      return m ? sampleMap(m, x, y, interp) : Number.NaN;
    },
  };
}

/**
 * Provider over per-structure signed-distance maps (one map per structure present in a frame,
 * e.g. from a label image). The nearest-structure distance is the minimum over structures.
 */
export function structureMapProvider(
  maps: (frame: number) => readonly DistanceMap[],
  maxStructures: number,
  interp: Interpolation = 'bilinear',
): SignedDistanceProvider {
  return {
    maxStructures,
    distance(frame, x, y) {
      const list = maps(frame);
      if (!list.length) return Number.POSITIVE_INFINITY;
      let best = Number.POSITIVE_INFINITY;
      for (const m of list) {
        const d = sampleMap(m, x, y, interp);
        if (Number.isNaN(d)) return Number.NaN;
        if (d < best) best = d;
      }
      return best;
    },
    structureDistances(frame, x, y, out) {
      const list = maps(frame);
      for (let k = 0; k < list.length; k++) out[k] = sampleMap(list[k], x, y, interp);
      return list.length;
    },
  };
}
