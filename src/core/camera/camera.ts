// Camera models: raw ADU → detected photons, and the per-pixel read-noise variance (in photon²)
// that an sCMOS-aware likelihood adds to data and model (Huang et al. 2013).
import { PHYSICAL_DEFAULTS } from '../physicalDefaults';
import type { PixelArray } from '../stack/types';

export type CameraKind = 'ccd' | 'emccd' | 'scmos';

export interface CameraParams {
  kind: CameraKind;
  /** ADU the camera adds before any signal (ignored per pixel when `scmosMaps` is given). */
  offsetAdu: number;
  /** Photoelectrons per ADU (ignored per pixel when `scmosMaps` is given). */
  electronsPerAdu: number;
  /** Electron-multiplying gain; 1 for CCD and sCMOS. */
  emGain: number;
  /** Quantum efficiency in (0, 1]; 1 reports photoelectrons as "photons". */
  quantumEfficiency: number;
  /** Read noise (e⁻ rms) of a CCD/EMCCD; used only by the likelihood and the CRLB. */
  readNoiseE: number;
  /** sCMOS calibration maps, one value per pixel of the full frame, row-major. */
  scmosMaps?: ScmosMaps;
}

export interface ScmosMaps {
  offsetAdu: Float32Array;
  electronsPerAdu: Float32Array;
  /** Read-noise variance in ADU². */
  varianceAdu2: Float32Array;
}

export const DEFAULT_CAMERA: CameraParams = {
  kind: 'ccd',
  offsetAdu: PHYSICAL_DEFAULTS.offsetAdu,
  electronsPerAdu: PHYSICAL_DEFAULTS.electronsPerAdu,
  emGain: PHYSICAL_DEFAULTS.emGain,
  quantumEfficiency: 1,
  readNoiseE: 0,
};

/** Throws a message naming the bad setting and its unit. */
export function validateCamera(c: CameraParams, pixels?: number): void {
  if (!Number.isFinite(c.offsetAdu))
    throw new Error(`camera offset must be a finite number of ADU, got ${c.offsetAdu}`);
  if (!(c.electronsPerAdu > 0)) throw new Error(`camera gain must be > 0 e⁻/ADU, got ${c.electronsPerAdu}`);
  if (!(c.emGain >= 1)) throw new Error(`EM gain must be ≥ 1, got ${c.emGain}`);
  if (!(c.quantumEfficiency > 0 && c.quantumEfficiency <= 1))
    throw new Error(`quantum efficiency must be in (0, 1], got ${c.quantumEfficiency}`);
  if (!(c.readNoiseE >= 0)) throw new Error(`read noise must be ≥ 0 e⁻ rms, got ${c.readNoiseE}`);
  if (c.kind === 'scmos' && c.scmosMaps && pixels !== undefined) {
    for (const [name, m] of Object.entries(c.scmosMaps)) {
      if (m.length !== pixels)
        throw new Error(`sCMOS ${name} map has ${m.length} pixels, the frame has ${pixels}`);
    }
  }
  if (c.kind !== 'scmos' && c.scmosMaps) throw new Error('sCMOS maps were given for a non-sCMOS camera');
}

/** Variance inflation of the photon counts: 2 for an EMCCD (excess-noise factor), else 1. */
export function excessNoiseFactor(c: CameraParams): number {
  return c.kind === 'emccd' && c.emGain > 1 ? 2 : 1;
}

/**
 * Converts one frame to photons into `out` (reused between frames):
 * photons = (ADU − offset) × e⁻/ADU / EMgain / QE.
 */
export function adusToPhotons(frame: PixelArray, c: CameraParams, out: Float32Array): Float32Array {
  const n = frame.length;
  const maps = c.kind === 'scmos' ? c.scmosMaps : undefined;
  if (maps) {
    const inv = 1 / c.quantumEfficiency;
    const off = maps.offsetAdu;
    const g = maps.electronsPerAdu;
    for (let i = 0; i < n; i++) out[i] = (frame[i] - off[i]) * g[i] * inv;
    return out;
  }
  const scale = c.electronsPerAdu / (c.emGain * c.quantumEfficiency);
  const offset = c.offsetAdu;
  for (let i = 0; i < n; i++) out[i] = (frame[i] - offset) * scale;
  return out;
}

/**
 * Per-pixel read-noise variance in photon² (sCMOS maps), or null when read noise is uniform or
 * absent: a CCD's uniform read noise is returned by `uniformReadVariance`.
 */
export function readVarianceMap(c: CameraParams): Float32Array | null {
  const maps = c.kind === 'scmos' ? c.scmosMaps : undefined;
  if (!maps) return null;
  const n = maps.varianceAdu2.length;
  const out = new Float32Array(n);
  const qe2 = c.quantumEfficiency * c.quantumEfficiency;
  for (let i = 0; i < n; i++) {
    const g = maps.electronsPerAdu[i];
    out[i] = (maps.varianceAdu2[i] * g * g) / qe2;
  }
  return out;
}

/** Uniform read-noise variance in photon²; an EM register makes it negligible (÷ gain²). */
export function uniformReadVariance(c: CameraParams): number {
  if (c.kind === 'scmos' && c.scmosMaps) return 0;
  const r = c.readNoiseE / (c.emGain * c.quantumEfficiency);
  return r * r;
}

/** Copies the sub-rectangle of a full-frame map (for a region of interest). */
export function cropMap(
  map: Float32Array,
  width: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) out.set(map.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + w), y * w);
  return out;
}

/** The camera restricted to a region of interest (sCMOS maps cropped, scalar settings kept). */
export function cropCamera(
  c: CameraParams,
  width: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
): CameraParams {
  if (!c.scmosMaps) return c;
  const m = c.scmosMaps;
  return {
    ...c,
    scmosMaps: {
      offsetAdu: cropMap(m.offsetAdu, width, x0, y0, w, h),
      electronsPerAdu: cropMap(m.electronsPerAdu, width, x0, y0, w, h),
      varianceAdu2: cropMap(m.varianceAdu2, width, x0, y0, w, h),
    },
  };
}
