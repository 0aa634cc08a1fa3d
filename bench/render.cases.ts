// Benchmarks of the post-processing and rendering kernels (src/core/render, src/core/locs).
// Splice `renderCases` into the list in bench/cases.ts.
import { filterMask } from '../src/core/locs/filterExpr';
import { frc } from '../src/core/locs/frc';
import { mergeBlinks } from '../src/core/locs/merge';
import { nena } from '../src/core/locs/nena';
import { rccDrift } from '../src/core/locs/rcc';
import { type LocTable, locTableFromColumns } from '../src/core/locs/table';
import { Rng } from '../src/core/random';
import { autoContrast, toRgba } from '../src/core/render/colormap';
import { renderGaussian } from '../src/core/render/gaussian';
import { renderHistogram } from '../src/core/render/histogram';
import type { BenchCase } from './types';

/**
 * n localizations of molecules in clusters over a square field, each molecule blinking in
 * bursts of consecutive frames (so merging and NeNA have work), with an optional drift.
 */
function synthetic(n: number, fovNm: number, frames: number, seed: number, driftNm = 0): LocTable {
  const r = new Rng(seed);
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const photons = new Float32Array(n);
  const precision = new Float32Array(n);
  let i = 0;
  let cx = 0;
  let cy = 0;
  while (i < n) {
    if (r.uniform() < 0.05) {
      cx = r.uniform() * fovNm;
      cy = r.uniform() * fovNm;
    }
    const mx = cx + 60 * r.normal();
    const my = cy + 60 * r.normal();
    const burst = 1 + r.poisson(4);
    let f = Math.floor(r.uniform() * (frames - 2 * burst));
    for (let k = 0; k < burst && i < n; k++, i++) {
      const p = 8 + 8 * r.uniform();
      const t = f / frames;
      frame[i] = f;
      x[i] = mx + p * r.normal() + driftNm * Math.sin(2 * Math.PI * t);
      y[i] = my + p * r.normal() + driftNm * t;
      photons[i] = 500 + 2000 * r.uniform();
      precision[i] = p;
      f += r.uniform() < 0.1 ? 2 : 1;
    }
  }
  return locTableFromColumns({ frame, x, y, photons, precision });
}

function timed<T>(fn: () => T, repeats = 3): { ms: number; value: T } {
  let value = fn(); // warm-up: JIT and first-touch allocation
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    value = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], value };
}

const view2048 = { x0: 0, y0: 0, width: 2048, height: 2048, pixelNm: 10 };
let million: LocTable | undefined;
const getMillion = () => {
  million ??= synthetic(1_000_000, 20_480, 50_000, 1);
  return million;
};

const renderHistogram1M: BenchCase = {
  name: 'render-histogram-1M-2048',
  where: ['node', 'browser'],
  async run() {
    const t = getMillion();
    const img = new Float32Array(2048 * 2048);
    const { ms } = timed(() => {
      img.fill(0);
      return renderHistogram(t, view2048, {}, img);
    }, 5);
    const c = timed(() => toRgba(img, autoContrast(img), 'inferno'));
    return { ms, 'Mlocs/s': 1000 / ms, 'contrast+rgba ms': c.ms };
  },
};

const renderGaussian1M: BenchCase = {
  name: 'render-gaussian-1M-2048',
  where: ['node', 'browser'],
  async run() {
    const t = getMillion();
    const img = new Float32Array(2048 * 2048);
    const { ms } = timed(() => {
      img.fill(0);
      return renderGaussian(t, view2048, {}, img);
    });
    let sum = 0;
    for (let i = 0; i < img.length; i++) sum += img[i];
    return { ms, 'Mlocs/s': 1000 / ms, 'sigma px': '0.8-1.6', total: sum };
  },
};

const rcc200k: BenchCase = {
  name: 'rcc-200k',
  where: ['node', 'browser'],
  async run() {
    const t = synthetic(200_000, 15_000, 20_000, 2, 150);
    const { ms, value } = timed(() => rccDrift(t, { segments: 10, pixelNm: 20, maxShiftNm: 500 }), 1);
    return { ms, segments: 10, image: value.imageSize, 'residual nm': value.residualRmsNm };
  },
};

const merge1M: BenchCase = {
  name: 'merge-1M',
  where: ['node', 'browser'],
  async run() {
    const t = getMillion();
    const { ms, value } = timed(() => mergeBlinks(t, { radiusNm: 50, maxGapFrames: 1 }), 1);
    return { ms, 'Mlocs/s': 1000 / ms, merged: value.table.length };
  },
};

const filter1M: BenchCase = {
  name: 'filter-1M',
  where: ['node', 'browser'],
  async run() {
    const t = getMillion();
    const { ms, value } = timed(() =>
      filterMask(t, 'photons > 800 && precision in [8, 14] && abs(x - 10000) < 8000'),
    );
    let kept = 0;
    for (let i = 0; i < value.length; i++) kept += value[i];
    return { ms, 'Mlocs/s': 1000 / ms, kept };
  },
};

const nenaFrc1M: BenchCase = {
  name: 'nena-frc-1M',
  where: ['node', 'browser'],
  async run() {
    const t = getMillion();
    const a = timed(() => nena(t), 1);
    const b = timed(() => frc(t, { pixelNm: 10 }), 1);
    return {
      'nena ms': a.ms,
      'nena nm': a.value.sigmaNm,
      'frc ms': b.ms,
      'frc nm': b.value.resolutionNm,
      'frc image': b.value.imageSize,
    };
  },
};

export const renderCases: BenchCase[] = [
  renderHistogram1M,
  renderGaussian1M,
  rcc200k,
  merge1M,
  filter1M,
  nenaFrc1M,
];
