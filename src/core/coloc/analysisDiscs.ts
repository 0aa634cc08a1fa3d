// Analytic structures (discs) with exact signed distances: ground truth for validating the
// distance analysis and the EDT, and synthetic structures for benchmarks and simulations.
import type { DistanceMap, SignedDistanceProvider } from './analysisDistance';

export interface Disc {
  cx: number;
  cy: number;
  r: number;
}

/** Exact signed distance to the nearest of `discs` (|p − c| − r, minimised): < 0 inside. */
export function discSignedDistance(discs: readonly Disc[], x: number, y: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (const d of discs) {
    const v = Math.hypot(x - d.cx, y - d.cy) - d.r;
    if (v < best) best = v;
  }
  return best;
}

/** Provider with one disc set per frame (`discs(frame)`), exact everywhere. */
export function discProvider(discs: (frame: number) => readonly Disc[]): SignedDistanceProvider {
  return {
    distance: (frame, x, y) => discSignedDistance(discs(frame), x, y),
    structureDistances(frame, x, y, out) {
      const list = discs(frame);
      for (let k = 0; k < list.length; k++) out[k] = Math.hypot(x - list[k].cx, y - list[k].cy) - list[k].r;
      return list.length;
    },
  };
}

/** The signed distance to `discs` sampled at the pixel centres of a grid. */
export function rasterizeDiscs(
  discs: readonly Disc[],
  grid: { x0: number; y0: number; pixelNm: number; width: number; height: number },
): DistanceMap {
  const data = new Float32Array(grid.width * grid.height);
  for (let j = 0; j < grid.height; j++) {
    const y = grid.y0 + (j + 0.5) * grid.pixelNm;
    for (let i = 0; i < grid.width; i++) {
      data[j * grid.width + i] = discSignedDistance(discs, grid.x0 + (i + 0.5) * grid.pixelNm, y);
    }
  }
  return { ...grid, data };
}
