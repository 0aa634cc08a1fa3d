// Photons → ADU for the three camera kinds, pixel by pixel. Photons here are detected photons
// (photoelectrons): quantum efficiency is folded into the photon numbers of the scene.
//   ccd:   ADU = offset + (n + N(0, r²)) / g
//   emccd: ADU = offset + (Gamma(n, G) + N(0, r²)) / g   — the gain register's output for n input
//          electrons has mean nG and variance nG², so with n ~ Poisson(μ) the variance is 2μG²
//          (excess-noise factor 2).
//   scmos: ADU = offset_i + (n + N(0, r_i²)) / g_i        — per-pixel maps.
// then quantised (round or floor) and clipped to [0, saturation].
import { Rng } from '../random';
import { gammaWhole, zigguratNormal } from './noiseSamplers';
import type { CameraParams } from './params';

export interface ScmosMaps {
  offsetAdu: Float32Array;
  electronsPerAdu: Float32Array;
  readNoiseE: Float32Array;
}

/** Seeded per-pixel maps: normal offsets, normal gains (relative spread), log-normal read noise. */
export function makeScmosMaps(c: CameraParams, width: number, height: number, seed: number): ScmosMaps {
  const n = width * height;
  const rng = new Rng(seed, 0x5c405);
  const offsetAdu = new Float32Array(n);
  const electronsPerAdu = new Float32Array(n);
  const readNoiseE = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    offsetAdu[i] = c.offsetAdu + c.scmosOffsetSdAdu * rng.normal();
    electronsPerAdu[i] = c.electronsPerAdu * Math.max(0.2, 1 + c.scmosGainCv * rng.normal());
    readNoiseE[i] = c.readNoiseE * Math.exp(c.scmosReadNoiseLogSd * rng.normal());
  }
  return { offsetAdu, electronsPerAdu, readNoiseE };
}

/**
 * Poisson inversion table for one mean: cdf[k] = P(X ≤ k). Sampling a flat background through it
 * costs one uniform and a short scan instead of an exp() and several uniforms per pixel.
 */
export function poissonCdfTable(mean: number): Float64Array {
  const values: number[] = [];
  let p = Math.exp(-mean);
  let c = p;
  let k = 0;
  values.push(c);
  // Stop once the remaining tail is below double precision's resolution of u ∈ [0, 1).
  while (1 - c > 1e-16 && k < mean + 40 * Math.sqrt(mean) + 40) {
    k++;
    p *= mean / k;
    c += p;
    values.push(c);
  }
  values[values.length - 1] = 1;
  return Float64Array.from(values);
}

export function samplePoissonFromCdf(cdf: Float64Array, u: number): number {
  let k = 0;
  while (u > cdf[k]) k++;
  return k;
}

/**
 * A Poisson inversion table with a guide (Chen & Asau): guide[g] is the first k with
 * cdf[k] ≥ g/m, so the scan for u starts at guide[⌊u·m⌋] — about one compare instead of ~mean —
 * and returns exactly the k plain inversion would.
 */
export interface GuidedPoissonTable {
  cdf: Float64Array;
  guide: Int32Array;
}

export function guidedPoissonTable(mean: number): GuidedPoissonTable {
  const cdf = poissonCdfTable(mean);
  const m = cdf.length;
  const guide = new Int32Array(m);
  let k = 0;
  for (let g = 0; g < m; g++) {
    while (cdf[k] < g / m) k++;
    guide[g] = k;
  }
  return { cdf, guide };
}

export function sampleGuidedPoisson(t: GuidedPoissonTable, u: number): number {
  const cdf = t.cdf;
  let k = t.guide[Math.floor(u * t.guide.length)];
  while (u > cdf[k]) k++;
  return k;
}

export interface ExposureInput {
  /** Expected emitter photons per pixel (row-major), or null for none. */
  signal: Float64Array | null;
  /**
   * Background: a per-pixel map of expected photons, or a flat value. A map with ≤ 4096 distinct
   * values (the simulator quantises its pattern to 256 levels) is sampled through inversion tables.
   */
  background: Float64Array | number;
}

interface LevelTables {
  level: Uint16Array;
  cdfs: GuidedPoissonTable[];
}

/** Per-pixel table index for a background map with few distinct values, or null when it has many. */
function levelTables(map: Float64Array): LevelTables | null {
  const ids = new Map<number, number>();
  const level = new Uint16Array(map.length);
  for (let i = 0; i < map.length; i++) {
    let id = ids.get(map[i]);
    if (id === undefined) {
      if (ids.size >= 4096) return null;
      id = ids.size;
      ids.set(map[i], id);
    }
    level[i] = id;
  }
  const cdfs: GuidedPoissonTable[] = [];
  for (const [v, id] of ids) cdfs[id] = guidedPoissonTable(Math.max(0, v));
  return { level, cdfs };
}

/** Applies shot noise and the camera to one frame; allocation-free per call. */
export class CameraExposure {
  private readonly flatCdf = new Map<number, GuidedPoissonTable>();
  private readonly mapTables = new WeakMap<Float64Array, LevelTables | null>();

  constructor(
    readonly params: CameraParams,
    readonly maps: ScmosMaps | null,
  ) {}

  expose(input: ExposureInput, n: number, rng: Rng, out: Uint16Array): void {
    const c = this.params;
    const sig = input.signal;
    const bgMap = typeof input.background === 'number' ? null : input.background;
    const flat = typeof input.background === 'number' ? input.background : 0;
    let cdf: GuidedPoissonTable | null = null;
    let tables: LevelTables | null = null;
    if (bgMap) {
      tables = this.mapTables.get(bgMap) ?? null;
      if (!this.mapTables.has(bgMap)) {
        tables = levelTables(bgMap);
        this.mapTables.set(bgMap, tables);
      }
    }
    if (!bgMap && flat > 0) {
      cdf = this.flatCdf.get(flat) ?? null;
      if (!cdf) {
        cdf = guidedPoissonTable(flat);
        this.flatCdf.set(flat, cdf);
      }
    }
    const floor = c.quantisation === 'floor';
    const sat = c.saturationAdu;
    const kind = c.kind;
    const gInv = 1 / c.electronsPerAdu;
    const rn = c.readNoiseE;
    const em = c.emGain;
    const offset = c.offsetAdu;
    const maps = this.maps;
    for (let i = 0; i < n; i++) {
      // Poisson(b + s) = Poisson(b) + Poisson(s) for independent sources: the flat background
      // goes through the table, only pixels touched by an emitter pay for a second deviate.
      let e = tables
        ? sampleGuidedPoisson(tables.cdfs[tables.level[i]], rng.uniform())
        : bgMap
          ? rng.poisson(bgMap[i])
          : cdf
            ? sampleGuidedPoisson(cdf, rng.uniform())
            : 0;
      if (sig) {
        const s = sig[i];
        if (s > 0) e += rng.poisson(s);
      }
      let v: number;
      if (kind === 'scmos' && maps) {
        const r = maps.readNoiseE[i];
        v = maps.offsetAdu[i] + (e + (r > 0 ? r * zigguratNormal(rng) : 0)) / maps.electronsPerAdu[i];
      } else {
        if (kind === 'emccd' && e > 0) e = gammaWhole(rng, e, em);
        v = offset + (e + (rn > 0 ? rn * zigguratNormal(rng) : 0)) * gInv;
      }
      v = floor ? Math.floor(v) : Math.floor(v + 0.5);
      out[i] = v < 0 ? 0 : Math.min(v, sat);
    }
  }
}
