// sCMOS per-pixel calibration maps: reading them from images (one TIFF each, as calibration
// tools write them), checking them against the data, and converting the simulator's truth maps to
// the camera module's units.
//
// Units (the convention of `ScmosMaps` in ./camera):
//  - offset:   ADU (the dark level of each pixel);
//  - gain:     photoelectrons per ADU (e⁻/ADU). Some tools (Huang et al. 2013's MATLAB scripts,
//              SMAP) store ADU per e⁻ instead: read those with `gainUnit: 'aduPerElectron'`;
//  - variance: read-noise variance in ADU² (the variance of dark frames, not in e⁻²).
// Maps cover the full camera frame of the data, row-major; a region of interest is cut out of them
// by `cropCamera` (./camera) at run time, so they are stored uncropped.
import type { ScmosMaps as SimScmosMaps } from '../sim/camera';
import type { FrameSource, PixelArray } from '../stack/types';
import type { ScmosMaps } from './camera';

export type GainUnit = 'electronsPerAdu' | 'aduPerElectron';

export type MapRole = 'offset' | 'gain' | 'variance';

export const MAP_ROLES: readonly MapRole[] = ['offset', 'gain', 'variance'];

export const MAP_LABELS: Record<MapRole, string> = {
  offset: 'offset (ADU)',
  gain: 'gain (e⁻/ADU)',
  variance: 'read-noise variance (ADU²)',
};

/** Any numeric pixel array as Float32 (a fresh copy, so the caller owns it). */
export function toFloat32(a: PixelArray): Float32Array {
  return Float32Array.from(a);
}

/**
 * Checks one map's values: every pixel finite; gains > 0; variances ≥ 0. Throws a message naming
 * the file, the first bad pixel and what to do.
 */
export function checkMapValues(role: MapRole, map: Float32Array, width: number, fileName: string): void {
  for (let i = 0; i < map.length; i++) {
    const v = map[i];
    const bad = !Number.isFinite(v) || (role === 'gain' && !(v > 0)) || (role === 'variance' && !(v >= 0));
    if (bad) {
      const need = role === 'gain' ? 'a positive number' : role === 'variance' ? '≥ 0' : 'a finite number';
      throw new Error(
        `sCMOS ${MAP_LABELS[role]} map ${fileName}: pixel (x ${i % width}, y ${Math.floor(i / width)}) is ${v}, every pixel must be ${need}`,
      );
    }
  }
}

/** Checks that a map image has the data's frame size; the message names the file. */
export function checkMapSize(
  role: MapRole,
  src: Pick<FrameSource, 'name' | 'width' | 'height'>,
  width: number,
  height: number,
): void {
  if (src.width !== width || src.height !== height)
    throw new Error(
      `sCMOS ${MAP_LABELS[role]} map ${src.name} is ${src.width}×${src.height} px but the stack is ${width}×${height} px: ` +
        'the maps must cover the same camera pixels as the data (crop them to the acquisition region first)',
    );
}

/**
 * Reads frame 0 of one map image as Float32 (any pixel type), checked for size and values.
 * A gain map in ADU/e⁻ is inverted to e⁻/ADU.
 */
export async function readMap(
  role: MapRole,
  src: FrameSource,
  width: number,
  height: number,
  options: { gainUnit?: GainUnit; signal?: AbortSignal } = {},
): Promise<Float32Array> {
  checkMapSize(role, src, width, height);
  const map = toFloat32(await src.readFrame(0, { signal: options.signal }));
  checkMapValues(role, map, width, src.name);
  if (role === 'gain' && options.gainUnit === 'aduPerElectron') {
    for (let i = 0; i < map.length; i++) map[i] = 1 / map[i];
  }
  return map;
}

export interface MapSources {
  offset: FrameSource;
  gain: FrameSource;
  variance: FrameSource;
}

/** The three calibration maps for a `width`×`height` stack from their images (frame 0 of each). */
export async function readScmosMaps(
  sources: MapSources,
  width: number,
  height: number,
  options: { gainUnit?: GainUnit; signal?: AbortSignal } = {},
): Promise<ScmosMaps> {
  return {
    offsetAdu: await readMap('offset', sources.offset, width, height, options),
    electronsPerAdu: await readMap('gain', sources.gain, width, height, options),
    varianceAdu2: await readMap('variance', sources.variance, width, height, options),
  };
}

/**
 * The simulator's truth maps in the camera module's units. The simulator keeps read noise as
 * rms electrons per pixel; the camera wants variance in ADU²: (σ_e / (e⁻/ADU))².
 */
export function scmosMapsFromSimulation(sim: SimScmosMaps): ScmosMaps {
  const n = sim.readNoiseE.length;
  const varianceAdu2 = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = sim.readNoiseE[i] / sim.electronsPerAdu[i];
    varianceAdu2[i] = r * r;
  }
  return {
    offsetAdu: Float32Array.from(sim.offsetAdu),
    electronsPerAdu: Float32Array.from(sim.electronsPerAdu),
    varianceAdu2,
  };
}

export interface ScmosMapSummary {
  offsetAdu: number;
  electronsPerAdu: number;
  varianceAdu2: number;
}

/** Mean of each map, for labels ("offset 100.2 ADU, gain 0.50 e⁻/ADU, variance 11.3 ADU²"). */
export function summarizeScmosMaps(m: ScmosMaps): ScmosMapSummary {
  const mean = (a: Float32Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return a.length ? s / a.length : Number.NaN;
  };
  return {
    offsetAdu: mean(m.offsetAdu),
    electronsPerAdu: mean(m.electronsPerAdu),
    varianceAdu2: mean(m.varianceAdu2),
  };
}
