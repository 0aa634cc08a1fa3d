// Localizations like the reference movie's, on a small grid: discs that switch on and off (and
// may drift), each emitting ~1.5 localizations per raw frame while on, plus uniform background.
import type { RenderGrid } from '../../src/core/movie/grid';
import { Rng } from '../../src/core/random';

export interface DiscMovieOptions {
  seed: number;
  grid: RenderGrid;
  rawFrames: number;
  discs: number;
  /** Discs switch on at a raw frame in [0, onBefore). */
  onBefore: number;
  /** And stay on for [minOn, minOn + onSpan) raw frames. */
  minOn: number;
  onSpan: number;
  /** σ of each on-disc's step per raw frame, nm (0: discs stay put). */
  driftNm?: number;
}

export function discMovieLocs(o: DiscMovieOptions) {
  const r = new Rng(o.seed);
  const w = o.grid.width * o.grid.pixelNm;
  const h = o.grid.height * o.grid.pixelNm;
  const discs = Array.from({ length: o.discs }, () => ({
    x: o.grid.x0Nm + 100 + r.uniform() * (w - 200),
    y: o.grid.y0Nm + 100 + r.uniform() * (h - 200),
    r: 30 + r.uniform() * 60,
    on: Math.floor(r.uniform() * o.onBefore),
    off: 0,
  }));
  for (const d of discs) d.off = d.on + o.minOn + Math.floor(r.uniform() * o.onSpan);
  const frame: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const precision: number[] = [];
  const add = (f: number, tx: number, ty: number) => {
    const p = 8 + 10 * r.uniform();
    frame.push(f);
    x.push(tx + p * r.normal());
    y.push(ty + p * r.normal());
    precision.push(p);
  };
  for (let f = 0; f < o.rawFrames; f++) {
    for (const d of discs) {
      if (f < d.on || f >= d.off) continue;
      if (o.driftNm) d.x += o.driftNm * r.normal();
      for (let k = r.poisson(1.5); k > 0; k--) {
        const rho = d.r * Math.sqrt(r.uniform());
        const phi = 2 * Math.PI * r.uniform();
        add(f, d.x + rho * Math.cos(phi), d.y + rho * Math.sin(phi));
      }
    }
    for (let k = r.poisson(0.5); k > 0; k--)
      add(f, o.grid.x0Nm + r.uniform() * w, o.grid.y0Nm + r.uniform() * h);
  }
  return {
    length: frame.length,
    frame: Uint32Array.from(frame),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    precision: Float32Array.from(precision),
  };
}
