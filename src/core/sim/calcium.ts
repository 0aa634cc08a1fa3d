// The Ca²⁺-response scene: indicator-loaded cells whose brightness follows a known ΔF/F₀ time
// course. Unlike the single-molecule scenes it emits no events; the stack asks it for each
// frame's expected photons, cell by cell, from a label map rasterised once.
import { Rng } from '../random';
import type { CalciumScene, SimulationParams } from './params';
import { SCENE_TAG, subSeed } from './seeds';

/** Ground truth of the cells, one entry per cell (index = label − 1). */
export interface CalciumTruth {
  length: number;
  addFrame: number;
  /** Ellipse centre, semi-axes (nm) and angle (rad). */
  x: Float64Array;
  y: Float64Array;
  rx: Float64Array;
  ry: Float64Array;
  angle: Float64Array;
  /** Resting photons per pixel per frame (before bleaching). */
  resting: Float64Array;
  responder: Uint8Array;
  /** Onset − addition, frames (−1 for non-responders). */
  latencyFrames: Int32Array;
  /** Peak ΔF/F₀ (0 for non-responders). */
  amplitude: Float64Array;
  peakFrame: Int32Array;
  riseFrames: number;
  decayFrames: number;
  bleachTauFrames: number;
  /** Pixel → cell label (0 = none, 1…n), pixel centres inside the ellipse. */
  labels: Int32Array;
  areaPx: Int32Array;
}

/** True ΔF/F₀ of cell c at a frame (relative to its bleached resting level). */
export function trueDff(t: CalciumTruth, c: number, frame: number): number {
  if (!t.responder[c]) return 0;
  const onset = t.addFrame + t.latencyFrames[c];
  if (frame < onset) return 0;
  const a = t.amplitude[c];
  const k = frame - onset + 1;
  if (k <= t.riseFrames) return (a * k) / t.riseFrames;
  return a * Math.exp(-(frame - t.peakFrame[c]) / t.decayFrames);
}

export function bleachFactor(t: CalciumTruth, frame: number): number {
  return t.bleachTauFrames > 0 ? Math.exp(-frame / t.bleachTauFrames) : 1;
}

export function buildCalciumScene(p: SimulationParams, s: CalciumScene): CalciumTruth {
  const rng = new Rng(subSeed(p.seed, SCENE_TAG), 0);
  const px = p.pixelSizeNm;
  const W = p.width * px;
  const H = p.height * px;
  const cells: { x: number; y: number; rx: number; ry: number; angle: number; r: number }[] = [];
  for (let tries = 0; cells.length < s.cellCount; tries++) {
    if (tries > 2000 * s.cellCount)
      throw new Error(
        `cannot place ${s.cellCount} cells of radius ${s.cellRadiusMinNm}–${s.cellRadiusMaxNm} nm in the ${W}×${H} nm field; use fewer or smaller cells`,
      );
    const a = s.cellRadiusMinNm + rng.uniform() * (s.cellRadiusMaxNm - s.cellRadiusMinNm);
    const ratio = 1 + rng.uniform() * (s.cellAspectMax - 1);
    const b = Math.max(s.cellRadiusMinNm / ratio, a / ratio);
    const r = Math.max(a, b);
    const x = s.marginNm + r + rng.uniform() * (W - 2 * (s.marginNm + r));
    const y = s.marginNm + r + rng.uniform() * (H - 2 * (s.marginNm + r));
    if (!(x >= 0 && y >= 0)) continue;
    if (cells.some((c) => Math.hypot(c.x - x, c.y - y) < c.r + r + s.cellGapNm)) continue;
    cells.push({ x, y, rx: a, ry: b, angle: rng.uniform() * Math.PI, r });
  }
  const n = cells.length;
  const t: CalciumTruth = {
    length: n,
    addFrame: s.addFrame,
    x: Float64Array.from(cells, (c) => c.x),
    y: Float64Array.from(cells, (c) => c.y),
    rx: Float64Array.from(cells, (c) => c.rx),
    ry: Float64Array.from(cells, (c) => c.ry),
    angle: Float64Array.from(cells, (c) => c.angle),
    resting: new Float64Array(n),
    responder: new Uint8Array(n),
    latencyFrames: new Int32Array(n).fill(-1),
    amplitude: new Float64Array(n),
    peakFrame: new Int32Array(n).fill(-1),
    riseFrames: s.riseFrames,
    decayFrames: s.decayFrames,
    bleachTauFrames: s.bleachTauFrames,
    labels: new Int32Array(p.width * p.height),
    areaPx: new Int32Array(n),
  };
  // Log-normal brightness with the requested mean and CV.
  const sl = Math.sqrt(Math.log(1 + s.restingCv * s.restingCv));
  for (let c = 0; c < n; c++) {
    t.resting[c] = s.restingPhotons * Math.exp(sl * rng.normal() - 0.5 * sl * sl);
    if (rng.uniform() < s.responderFraction) {
      t.responder[c] = 1;
      t.latencyFrames[c] =
        s.latencyMinFrames + Math.floor(rng.uniform() * (s.latencyMaxFrames - s.latencyMinFrames + 1));
      t.amplitude[c] = s.amplitudeMin + rng.uniform() * (s.amplitudeMax - s.amplitudeMin);
      t.peakFrame[c] = s.addFrame + t.latencyFrames[c] + s.riseFrames - 1;
    }
  }
  rasteriseEllipses(t, p.width, p.height, px);
  return t;
}

function rasteriseEllipses(t: CalciumTruth, width: number, height: number, px: number): void {
  for (let c = 0; c < t.length; c++) {
    const cos = Math.cos(t.angle[c]);
    const sin = Math.sin(t.angle[c]);
    const r = Math.max(t.rx[c], t.ry[c]) / px;
    const cx = t.x[c] / px;
    const cy = t.y[c] / px;
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(height - 1, Math.ceil(cy + r)); y++)
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(width - 1, Math.ceil(cx + r)); x++) {
        const dx = (x + 0.5) * px - t.x[c];
        const dy = (y + 0.5) * px - t.y[c];
        const u = (dx * cos + dy * sin) / t.rx[c];
        const v = (-dx * sin + dy * cos) / t.ry[c];
        if (u * u + v * v <= 1 && !t.labels[y * width + x]) {
          t.labels[y * width + x] = c + 1;
          t.areaPx[c]++;
        }
      }
  }
}

/** Adds the indicator's expected photons of a frame into `out` (zeroed first). */
export function calciumSignal(
  t: CalciumTruth,
  frame: number,
  out: Float64Array,
  factors: Float64Array,
): void {
  const b = bleachFactor(t, frame);
  for (let c = 0; c < t.length; c++) factors[c + 1] = t.resting[c] * b * (1 + trueDff(t, c, frame));
  factors[0] = 0;
  const l = t.labels;
  for (let i = 0; i < out.length; i++) out[i] = factors[l[i]];
}

export const CALCIUM_TRUTH_COLUMNS = [
  'cell',
  'x_px',
  'y_px',
  'rx_px',
  'ry_px',
  'angle_rad',
  'area_px',
  'resting_photons',
  'responder',
  'latency_frames',
  'onset_frame',
  'peak_frame',
  'peak_dff',
] as const;

/** Onset and peak frames are 1-based, as in ImageJ and the analysis tables. */
export function calciumTruthCsv(t: CalciumTruth, pixelSizeNm: number): string {
  const f = (v: number) => String(Number(v.toPrecision(7)));
  const lines = [CALCIUM_TRUTH_COLUMNS.join(',')];
  for (let c = 0; c < t.length; c++) {
    const r = t.responder[c] === 1;
    lines.push(
      [
        c + 1,
        f(t.x[c] / pixelSizeNm),
        f(t.y[c] / pixelSizeNm),
        f(t.rx[c] / pixelSizeNm),
        f(t.ry[c] / pixelSizeNm),
        f(t.angle[c]),
        t.areaPx[c],
        f(t.resting[c]),
        r ? 1 : 0,
        r ? t.latencyFrames[c] : '',
        r ? t.addFrame + t.latencyFrames[c] + 1 : '',
        r ? t.peakFrame[c] + 1 : '',
        r ? f(t.amplitude[c]) : 0,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
