// Detect → fit for one frame or a contiguous block of frames, with all buffers in a reusable
// scratch object so a long run allocates only its output.
//
// Borders: a candidate whose window would leave the image is fitted in the nearest window that
// lies inside it (shifted, never clipped). The pixel-integrated model is exact at any position in
// the window, so an off-centre spot costs only the photons that fall outside the image; a spot
// right at the edge still gets a result instead of vanishing. Fits that end outside their window
// are flagged like any other failure.
import {
  adusToPhotons,
  type CameraParams,
  excessNoiseFactor,
  readVarianceMap,
  uniformReadVariance,
  validateCamera,
} from '../camera/camera';
import { DogFilter, type SpotFilter, WaveletFilter } from '../detect/filters';
import { Candidates, suppressClose } from '../detect/maxima';
import { GaussianFitter } from '../fit/gaussianFitter';
import { MultiEmitterFitter } from '../fit/multiFitter';
import type { LocTable } from '../locs/table';
import type { PixelArray } from '../stack/types';
import { LocTableBuilder } from './builder';
import type { LocalizeParams } from './params';

export class LocalizeScratch {
  readonly photons: Float32Array;
  readonly filter: SpotFilter;
  readonly candidates = new Candidates();
  readonly mask: Uint8Array;
  readonly fitter: GaussianFitter;
  /** The multi-emitter fitter around `fitter` (fitter 'mle-multi'), else null. */
  readonly multi: MultiEmitterFitter | null;
  readonly readVariance: Float32Array | null;
  readonly uniformReadVariance: number;
  readonly builder = new LocTableBuilder();
  /** Threshold used on the last frame (filtered-image units), for diagnostics. */
  lastThreshold = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly params: LocalizeParams,
  ) {
    const n = 2 * params.fitRadiusPx + 1;
    if (width < n || height < n)
      throw new Error(`the image (${width}×${height} px) is smaller than the ${n}×${n} px fitting window`);
    const camera: CameraParams = params.camera;
    validateCamera(camera, width * height);
    const sigmaPx = params.sigmaNm / params.pixelSizeNm;
    this.mask = new Uint8Array(width * height);
    this.filter =
      params.detector === 'dog'
        ? new DogFilter(width, height, { sigma1Px: sigmaPx, sigma2Px: 1.6 * sigmaPx })
        : new WaveletFilter(width, height, params.wavelet);
    // The camera model writes straight into the filter's input (WebAssembly memory for the
    // SIMD wavelet), saving a frame-sized copy.
    this.photons = this.filter.input;
    this.fitter = new GaussianFitter({
      size: n,
      sigmaPx,
      fitSigma: params.fitSigma,
      method: params.fitter === 'mle-multi' ? 'mle' : params.fitter,
      maxIterations: params.maxIterations,
      excessNoise: excessNoiseFactor(camera),
    });
    this.multi =
      params.fitter === 'mle-multi'
        ? new MultiEmitterFitter(
            this.fitter,
            { maxEmitters: params.maxEmitters, alpha: params.multiAlpha },
            excessNoiseFactor(camera),
          )
        : null;
    this.readVariance = readVarianceMap(camera);
    this.uniformReadVariance = uniformReadVariance(camera);
    this.fitter.readVariance.fill(this.uniformReadVariance);
  }
}

/** Converts one raw frame to photons, filters it and leaves the candidates in `s.candidates`. */
export function detectFrame(frame: PixelArray, s: LocalizeScratch): void {
  const { params, candidates } = s;
  adusToPhotons(frame, params.camera, s.photons);
  const noise = s.filter.apply(s.photons);
  s.lastThreshold = params.thresholdFactor * noise;
  s.filter.findMaxima(s.lastThreshold, candidates);
  suppressClose(candidates, s.width, s.height, params.minDistancePx, s.mask);
}

/**
 * Copies candidate c's window (photons and read variance) of the last detected frame into the
 * fitter; returns the window's top-left pixel as [x0, y0].
 */
export function loadWindow(s: LocalizeScratch, c: number, out: [number, number] = [0, 0]): [number, number] {
  const { width: w, height: h, fitter, candidates } = s;
  const n = fitter.size;
  const r = s.params.fitRadiusPx;
  const cx = candidates.x[c];
  const cy = candidates.y[c];
  const x0 = cx - r < 0 ? 0 : Math.min(cx - r, w - n);
  const y0 = cy - r < 0 ? 0 : Math.min(cy - r, h - n);
  const data = fitter.data;
  const rv = s.readVariance;
  for (let j = 0; j < n; j++) {
    const src = (y0 + j) * w + x0;
    for (let i = 0; i < n; i++) data[j * n + i] = s.photons[src + i];
    if (rv) for (let i = 0; i < n; i++) fitter.readVariance[j * n + i] = rv[src + i];
  }
  out[0] = x0;
  out[1] = y0;
  return out;
}

const corner: [number, number] = [0, 0];

/** Localizes one frame (raw camera values, width × height) and appends its rows to `s.builder`. */
export function localizeFrame(frame: PixelArray, frameIndex: number, s: LocalizeScratch): void {
  const { params, fitter, candidates } = s;
  detectFrame(frame, s);
  const px = params.pixelSizeNm;
  const b = s.builder;
  for (let c = 0; c < candidates.count; c++) {
    const [x0, y0] = loadWindow(s, c, corner);
    if (s.multi) {
      s.multi.fit();
      addMultiRows(s, frameIndex, c, x0, y0);
      continue;
    }
    fitter.fit();
    if (fitter.flags !== 0 && !params.keepFailed) continue;
    const row = b.addRow();
    const col = b.columns;
    col.frame[row] = frameIndex;
    col.x[row] = (x0 + fitter.x) * px;
    col.y[row] = (y0 + fitter.y) * px;
    col.sigma[row] = fitter.sigma * px;
    col.photons[row] = fitter.photons;
    col.bg[row] = fitter.background;
    col.precision[row] = Math.sqrt(0.5 * (fitter.varianceX + fitter.varianceY)) * px;
    col.logL[row] = fitter.logLikelihoodRatio;
    col.iterations[row] = fitter.iterations;
    col.flags[row] = fitter.flags;
  }
}

/**
 * Rows of a multi-emitter window. A window fitted with several emitters also sees spots that
 * other candidates own: each emitter is kept only by the candidate nearest to it (a Voronoi
 * split of the frame), so overlapping windows never count one spot twice. A single-emitter
 * result is kept as the single fitter would keep it.
 */
function addMultiRows(s: LocalizeScratch, frameIndex: number, c: number, x0: number, y0: number): void {
  const m = s.multi as MultiEmitterFitter;
  const { params, candidates, builder: b } = s;
  if (m.flags !== 0 && !params.keepFailed) return;
  const px = params.pixelSizeNm;
  for (let e = 0; e < m.count; e++) {
    const flags = m.flags | m.emitterFlags[e];
    if (flags !== 0 && !params.keepFailed) continue;
    const fx = x0 + m.x[e];
    const fy = y0 + m.y[e];
    if (m.count > 1 && nearestCandidate(candidates, fx, fy, c) !== c) continue;
    const row = b.addRow();
    const col = b.columns;
    col.frame[row] = frameIndex;
    col.x[row] = fx * px;
    col.y[row] = fy * px;
    col.sigma[row] = m.sigmaPx * px;
    col.photons[row] = m.photons[e];
    col.bg[row] = m.background;
    col.precision[row] = Math.sqrt(0.5 * (m.varianceX[e] + m.varianceY[e])) * px;
    // Per emitter: its share of the window's log-likelihood ratio (the shares sum to the
    // window's), and the iterations of the fit that produced its model.
    col.logL[row] = m.emitterLogL[e];
    col.iterations[row] = Math.min(m.modelIterations, 255);
    col.flags[row] = flags;
  }
}

/** Index of the candidate whose pixel centre is nearest (x, y) in pixels; ties go to `prefer`. */
function nearestCandidate(candidates: Candidates, x: number, y: number, prefer: number): number {
  const dx0 = candidates.x[prefer] + 0.5 - x;
  const dy0 = candidates.y[prefer] + 0.5 - y;
  let best = dx0 * dx0 + dy0 * dy0;
  let who = prefer;
  for (let c = 0; c < candidates.count; c++) {
    const dx = candidates.x[c] + 0.5 - x;
    const dy = candidates.y[c] + 0.5 - y;
    const d = dx * dx + dy * dy;
    if (d < best) {
      best = d;
      who = c;
    }
  }
  return who;
}

/**
 * Localizes `frameCount` frames stored back to back in `pixels` (each width × height), numbering
 * them from `firstFrameIndex`; returns the chunk's table (rows in frame order).
 */
export function localizeFrames(
  pixels: PixelArray,
  frameCount: number,
  firstFrameIndex: number,
  s: LocalizeScratch,
  /** Called after each frame (workers use it as a heartbeat). */
  onFrame?: () => void,
): LocTable {
  const size = s.width * s.height;
  if (pixels.length < frameCount * size)
    throw new Error(
      `${frameCount} frames of ${s.width}×${s.height} px need ${frameCount * size} values, got ${pixels.length}`,
    );
  s.builder.length = 0;
  for (let f = 0; f < frameCount; f++) {
    localizeFrame(pixels.subarray(f * size, (f + 1) * size), firstFrameIndex + f, s);
    onFrame?.();
  }
  return s.builder.take();
}
