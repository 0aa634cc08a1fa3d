// Localization throughput and accuracy on the reference case: 1000 frames of 256×256 px,
// 60 isolated emitters per frame (1000 photons, 10 background photons/px, σ = 130 nm, 100 nm
// pixels), Poisson MLE with σ fixed. The frames are generated up front and held in memory, and
// the runs go through the real WorkerPool + localizeRun (frames packed into chunks and
// transferred to the workers, tables transferred back), so the figures measure localization,
// not file I/O. Peers on this 2-core machine: ThunderSTORM 66 frames/s (26 with MLE), Picasso 82
// (MLE), webSMLM 249 (Gaussian MLE, same headless Chromium), radial RMSE 8.5–8.9 nm.
//
// `localize-variants` times the other code paths of the fitter on the kernel alone (one thread):
// σ free, least squares, EMCCD and sCMOS data (each simulated with its own noise model).
//
// BENCH_FRAMES (Node env, or ?frames= in the browser page) shortens the run while iterating.
import { LocalizeScratch, localizeFrames } from '../src/core/localize/localize';
import { type LocalizeParamsInput, resolveLocalizeParams } from '../src/core/localize/params';
import { concatLocTables, type LocTable } from '../src/core/locs/table';
import { integratedGaussian1D } from '../src/core/psf/integratedGaussian';
import { Rng } from '../src/core/random';
import { scoreLocalizations } from '../src/core/score/metrics';
import { localizeRun } from '../src/engine/localizeRun';
import { type WorkerFactory, WorkerPool } from '../src/engine/workerPool';
import type { LocalizeApi } from '../workers/localize.api';
import type { BenchCase, Figures } from './types';

const W = 256;
const PER_FRAME = 60;
const PHOTONS = 1000;
const BACKGROUND = 10;
const SIGMA_PX = 1.3;
const PIXEL_NM = 100;
const OFFSET = 100;

export function frameCount(fallback: number): number {
  const g = globalThis as { process?: { env: Record<string, string | undefined> }; location?: Location };
  const v =
    g.process?.env.BENCH_FRAMES ?? (g.location ? new URL(g.location.href).searchParams.get('frames') : null);
  const n = Number(v);
  return v && Number.isInteger(n) && n > 0 ? n : fallback;
}

type CameraKind = 'ccd' | 'emccd' | 'scmos';

interface Generated {
  frames: Uint16Array[];
  truth: LocTable;
  /** The camera settings a user would enter for these frames. */
  camera: LocalizeParamsInput['camera'];
}

const EM_GAIN = 100;
const EM_E_PER_ADU = 10;

/** Seeded frames of isolated emitters (≥ 10 px apart, ≥ 4 px from the border) and their truth. */
export function generate(count: number, kind: CameraKind = 'ccd', seed = 2024): Generated {
  const rng = new Rng(seed);
  const frames: Uint16Array[] = [];
  const tf: number[] = [];
  const tx: number[] = [];
  const ty: number[] = [];
  const gx = new Float64Array(W);
  const gy = new Float64Array(W);
  const mu = new Float64Array(W * W);
  const n = W * W;
  // sCMOS: per-pixel offset, gain and read noise like a real calibration (a few hot pixels).
  const offset = new Float32Array(n).fill(OFFSET);
  const gain = new Float32Array(n).fill(1);
  const readVar = new Float32Array(n);
  if (kind === 'scmos') {
    for (let i = 0; i < n; i++) {
      offset[i] = OFFSET + 3 * rng.normal();
      gain[i] = 0.5 * Math.max(0.3, 1 + 0.05 * rng.normal());
      const r = 1.5 * Math.exp(0.4 * rng.normal());
      readVar[i] = r * r;
    }
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (let f = 0; f < count; f++) {
    xs.length = 0;
    ys.length = 0;
    while (xs.length < PER_FRAME) {
      const x = 4 + rng.uniform() * (W - 8);
      const y = 4 + rng.uniform() * (W - 8);
      let free = true;
      for (let k = 0; k < xs.length && free; k++) free = (xs[k] - x) ** 2 + (ys[k] - y) ** 2 > 100;
      if (free) {
        xs.push(x);
        ys.push(y);
      }
    }
    mu.fill(BACKGROUND);
    for (let k = 0; k < PER_FRAME; k++) {
      integratedGaussian1D(xs[k], SIGMA_PX, W, gx);
      integratedGaussian1D(ys[k], SIGMA_PX, W, gy);
      const x0 = Math.max(0, Math.floor(xs[k]) - 8);
      const y0 = Math.max(0, Math.floor(ys[k]) - 8);
      for (let j = y0; j < Math.min(W, y0 + 17); j++)
        for (let i = x0; i < Math.min(W, x0 + 17); i++) mu[j * W + i] += PHOTONS * gx[i] * gy[j];
      tf.push(f);
      tx.push(xs[k] * PIXEL_NM);
      ty.push(ys[k] * PIXEL_NM);
    }
    const frame = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      const e = rng.poisson(mu[i]);
      let adu: number;
      if (kind === 'emccd') adu = OFFSET + (e > 0 ? rng.gamma(e, EM_GAIN) : 0) / EM_E_PER_ADU;
      else if (kind === 'scmos') adu = offset[i] + (e + Math.sqrt(readVar[i]) * rng.normal()) / gain[i];
      else adu = OFFSET + e;
      frame[i] = Math.max(0, Math.min(65535, Math.round(adu)));
    }
    frames.push(frame);
  }
  const truth: LocTable = {
    length: tf.length,
    columns: { frame: Uint32Array.from(tf), x: Float64Array.from(tx), y: Float64Array.from(ty) },
  };
  const camera: LocalizeParamsInput['camera'] =
    kind === 'emccd'
      ? { kind: 'emccd', offsetAdu: OFFSET, emGain: EM_GAIN, electronsPerAdu: EM_E_PER_ADU }
      : kind === 'scmos'
        ? {
            kind: 'scmos',
            scmosMaps: {
              offsetAdu: offset,
              electronsPerAdu: gain,
              varianceAdu2: readVar.map((v, i) => v / (gain[i] * gain[i])),
            },
          }
        : { offsetAdu: OFFSET };
  return { frames, truth, camera };
}

function accuracy(truth: LocTable, locs: LocTable, prefix: string, out: Figures): void {
  const s = scoreLocalizations(truth, locs, { toleranceNm: 250 });
  out[`${prefix} RMSE nm`] = s.rmse;
  out[`${prefix} Jaccard`] = s.jaccard;
}

/** This thread, no workers: the kernel's own rate (the number profiling works on). */
function kernelRun(g: Generated, params: LocalizeParamsInput, frames = g.frames.length) {
  const scratch = new LocalizeScratch(W, W, resolveLocalizeParams(params));
  for (let f = 0; f < Math.min(30, frames); f++) localizeFrames(g.frames[f], 1, f, scratch); // JIT warm-up
  const parts: LocTable[] = [];
  const t0 = performance.now();
  for (let f = 0; f < frames; f++) parts.push(localizeFrames(g.frames[f], 1, f, scratch));
  return { seconds: (performance.now() - t0) / 1000, table: concatLocTables(parts) };
}

async function workerFactory(): Promise<WorkerFactory<LocalizeApi>> {
  // The browser bundle must never see node:worker_threads, nor Node a DOM Worker.
  if (typeof window !== 'undefined') {
    const { localizeWorkerFactory } = await import('../src/engine/browserWorker');
    return localizeWorkerFactory<LocalizeApi>();
  }
  const { localizeNodeWorkerFactory } = await import('../src/engine/nodeWorker');
  return localizeNodeWorkerFactory<LocalizeApi>();
}

const localize: BenchCase = {
  name: 'localize',
  where: ['node', 'browser'],
  async run(log) {
    const frames = frameCount(1000);
    const t0 = performance.now();
    const g = generate(frames);
    log(
      `localize: ${frames} frames ${W}×${W}, ${PER_FRAME} emitters/frame, MLE σ fixed; generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const params: LocalizeParamsInput = {
      pixelSizeNm: PIXEL_NM,
      sigmaNm: SIGMA_PX * PIXEL_NM,
      camera: g.camera,
    };
    const out: Figures = {};
    const k = kernelRun(g, params);
    out['kernel fps'] = frames / k.seconds;
    out['kernel ms/frame'] = (1000 * k.seconds) / frames;
    out['kernel locs/s'] = k.table.length / k.seconds;
    accuracy(g.truth, k.table, 'kernel', out);
    const factory = await workerFactory();
    for (const threads of [1, 2]) {
      const pool = new WorkerPool<LocalizeApi>(factory, { size: threads });
      try {
        const source = {
          width: W,
          height: W,
          frameCount: frames,
          readFrame: async (i: number) => g.frames[i],
        };
        // Warm-up: worker start-up, module loading and the JIT are not part of the rate.
        await localizeRun({ source, params, pool, frames: { start: 0, end: Math.min(64, frames) } });
        const parts: LocTable[] = [];
        const r = await localizeRun({ source, params, pool, chunkSize: 32, onChunk: (t) => parts.push(t) });
        const table = concatLocTables(parts);
        const label = `${threads}w`;
        out[`${label} fps`] = r.framesPerSecond;
        out[`${label} locs/s`] = table.length / r.seconds;
        accuracy(g.truth, table, label, out);
        log(
          `  ${threads} worker${threads > 1 ? 's' : ''}: ${r.framesPerSecond.toFixed(0)} frames/s, ${(table.length / r.seconds).toFixed(0)} locs/s, ${table.length} locs`,
        );
      } finally {
        pool.terminate();
      }
    }
    return out;
  },
};

const variants: BenchCase = {
  name: 'localize-variants',
  where: ['node', 'browser'],
  async run(log) {
    const frames = frameCount(200);
    log(`localize-variants: ${frames} frames per variant, kernel alone (one thread)`);
    const out: Figures = {};
    const ccd = generate(frames);
    const base = { pixelSizeNm: PIXEL_NM, sigmaNm: SIGMA_PX * PIXEL_NM };
    const runs: [string, Generated, LocalizeParamsInput][] = [
      ['mle', ccd, { ...base, camera: ccd.camera }],
      ['mle σ free', ccd, { ...base, camera: ccd.camera, fitSigma: true }],
      ['lsq', ccd, { ...base, camera: ccd.camera, fitter: 'lsq' }],
      ['wlsq', ccd, { ...base, camera: ccd.camera, fitter: 'wlsq' }],
      // Isolated emitters: the multi-emitter fitter should keep nearly the single fit's rate.
      ['mle-multi', ccd, { ...base, camera: ccd.camera, fitter: 'mle-multi' }],
    ];
    const em = generate(frames, 'emccd', 7);
    runs.push(['emccd mle', em, { ...base, camera: em.camera }]);
    const sc = generate(frames, 'scmos', 8);
    runs.push(['scmos mle', sc, { ...base, camera: sc.camera }]);
    for (const [label, g, params] of runs) {
      const k = kernelRun(g, params);
      out[`${label} fps`] = frames / k.seconds;
      accuracy(g.truth, k.table, label, out);
    }
    return out;
  },
};

export const localizeCases: BenchCase[] = [localize, variants];
