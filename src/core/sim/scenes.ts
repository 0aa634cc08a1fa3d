// Scenes place molecules in the sample and decide when each channel sees them. Geometry comes
// from one scene RNG, and each channel's photophysics from its own stream, so editing one
// channel never reshuffles another channel or the scene.
import { Rng } from '../random';
import { buildCalciumScene, type CalciumTruth } from './calcium';
import type { EventBuilder } from './events';
import { ellipseLevel } from './geometry';
import type { ChannelParams, EvsOnGlassScene, IsolatedScene, SimulationParams } from './params';
import { emitPhotophysics, framePhotons } from './photophysics';
import { PHOTOPHYSICS_TAG, SCENE_TAG, subSeed } from './seeds';
import {
  allocEvTruth,
  allocStructureTruth,
  allocTrajectoryTruth,
  type CellTruth,
  type EvTruth,
  emptyEvTruth,
  type StructureTruth,
  type TrajectoryTruth,
} from './truth';
import { buildUptakeScene } from './uptake';

export interface SceneOutput {
  evs: EvTruth;
  trajectories: TrajectoryTruth;
  structures: StructureTruth;
  cell: CellTruth | null;
  /** The Ca²⁺ scene's cells, or absent. */
  calcium?: CalciumTruth;
}

/** Molecules fixed in the sample, grouped by the source that labels them. */
export interface StaticMolecules {
  id: number[];
  x: number[];
  y: number[];
  parent: number[];
}

/** Runs each channel's photophysics over fixed molecules and records the emission events. */
export function emitStaticMolecules(
  p: SimulationParams,
  channelIndex: number,
  ch: ChannelParams,
  mols: StaticMolecules,
  events: EventBuilder,
): void {
  const rng = new Rng(subSeed(p.seed, PHOTOPHYSICS_TAG + channelIndex), 0);
  for (let m = 0; m < mols.id.length; m++) {
    const x = mols.x[m];
    const y = mols.y[m];
    const id = mols.id[m];
    const parent = mols.parent[m];
    emitPhotophysics(rng, ch.photophysics, 0, p.frames, (frame, fraction) => {
      events.push(
        frame,
        channelIndex,
        x,
        y,
        framePhotons(rng, ch.photonsPerFrame, fraction, ch.photonVariability),
        id,
        parent,
      );
    });
  }
}

export function buildScene(p: SimulationParams, events: EventBuilder): SceneOutput {
  switch (p.scene.kind) {
    case 'isolated':
      return buildIsolatedScene(p, p.scene, events);
    case 'evsOnGlass':
      return buildEvsOnGlassScene(p, p.scene, events);
    case 'uptake':
      return buildUptakeScene(p, p.scene, events);
    case 'calcium':
      return { evs: emptyEvTruth([], []), ...noExtraTruth(), calcium: buildCalciumScene(p, p.scene) };
  }
}

function noExtraTruth(): Omit<SceneOutput, 'evs'> {
  return { trajectories: allocTrajectoryTruth(0), structures: allocStructureTruth(0), cell: null };
}

/** Dart throwing with a minimum distance; throws when the field cannot hold them. */
function placeSeparated(
  rng: Rng,
  n: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  minSep: number,
  xs: Float64Array,
  ys: Float64Array,
  what: string,
): void {
  const min2 = minSep * minSep;
  for (let i = 0; i < n; i++) {
    let placed = false;
    for (let attempt = 0; attempt < 2000 && !placed; attempt++) {
      const x = x0 + rng.uniform() * w;
      const y = y0 + rng.uniform() * h;
      let ok = true;
      for (let j = 0; j < i && ok; j++) {
        const dx = xs[j] - x;
        const dy = ys[j] - y;
        if (dx * dx + dy * dy < min2) ok = false;
      }
      if (ok) {
        xs[i] = x;
        ys[i] = y;
        placed = true;
      }
    }
    if (!placed) {
      throw new Error(
        `cannot place ${n} ${what} at least ${minSep} nm apart in a ${w.toFixed(0)}×${h.toFixed(0)} nm area; lower the count or the separation`,
      );
    }
  }
}

function buildIsolatedScene(p: SimulationParams, s: IsolatedScene, events: EventBuilder): SceneOutput {
  const rng = new Rng(subSeed(p.seed, SCENE_TAG), 0);
  const n = s.emittersPerFrame;
  const x0 = s.marginNm;
  const y0 = s.marginNm;
  const w = p.width * p.pixelSizeNm - 2 * s.marginNm;
  const h = p.height * p.pixelSizeNm - 2 * s.marginNm;
  const cols = Math.max(1, Math.ceil(Math.sqrt((n * w) / h)));
  const rows = Math.max(1, Math.ceil(n / cols));
  const cw = w / cols;
  const chh = h / rows;
  const jx = Math.max(0, (cw - s.minSeparationNm) / 2);
  const jy = Math.max(0, (chh - s.minSeparationNm) / 2);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const channelRngs = p.channels.map((_, c) => new Rng(subSeed(p.seed, PHOTOPHYSICS_TAG + c), 0));
  for (let k = 0; k < p.frames; k++) {
    if (s.layout === 'grid') {
      for (let i = 0; i < n; i++) {
        const cx = x0 + ((i % cols) + 0.5) * cw;
        const cy = y0 + (Math.floor(i / cols) + 0.5) * chh;
        xs[i] = cx + (2 * rng.uniform() - 1) * jx;
        ys[i] = cy + (2 * rng.uniform() - 1) * jy;
      }
    } else {
      placeSeparated(rng, n, x0, y0, w, h, s.minSeparationNm, xs, ys, 'emitters');
    }
    // Every channel sees the same emitters (like beads), which is what registration needs.
    p.channels.forEach((ch, c) => {
      const crng = channelRngs[c];
      for (let i = 0; i < n; i++) {
        const photons = framePhotons(crng, ch.photonsPerFrame, 1, ch.photonVariability);
        events.push(k, c, xs[i], ys[i], photons, k * n + i, -1);
      }
    });
  }
  return { evs: allocEvTruth(0, [], []), ...noExtraTruth() };
}

/** Uniform point on a sphere of radius r seen from above: the membrane of an EV lying on glass. */
function sphereSurfacePoint(rng: Rng, r: number, out: Float64Array): void {
  const z = 2 * rng.uniform() - 1;
  const phi = 2 * Math.PI * rng.uniform();
  const s = Math.sqrt(1 - z * z);
  out[0] = r * s * Math.cos(phi);
  out[1] = r * s * Math.sin(phi);
}

function pickWeighted(rng: Rng, weights: number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng.uniform() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

function binomial(rng: Rng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.uniform() < p) k++;
  return k;
}

function buildEvsOnGlassScene(p: SimulationParams, s: EvsOnGlassScene, events: EventBuilder): SceneOutput {
  const rng = new Rng(subSeed(p.seed, SCENE_TAG), 0);
  const n = s.evCount;
  const evs = allocEvTruth(
    n,
    s.markers,
    s.subtypes.map((t) => t.name),
  );
  placeSeparated(
    rng,
    n,
    s.marginNm,
    s.marginNm,
    p.width * p.pixelSizeNm - 2 * s.marginNm,
    p.height * p.pixelSizeNm - 2 * s.marginNm,
    s.minSeparationNm,
    evs.x,
    evs.y,
    'EVs',
  );
  const sources = [...s.markers, 'probe'];
  const mols = new Map<string, StaticMolecules>(
    sources.map((m) => [m, { id: [], x: [], y: [], parent: [] }]),
  );
  const weights = s.subtypes.map((t) => t.fraction);
  const pt = new Float64Array(2);
  let nextId = 0;
  for (let e = 0; e < n; e++) {
    evs.id[e] = e;
    const st = pickWeighted(rng, weights);
    evs.subtype[e] = st;
    let d = s.diameterMeanNm + s.diameterSdNm * rng.normal();
    for (let tries = 0; (d < s.diameterMinNm || d > s.diameterMaxNm) && tries < 100; tries++) {
      d = s.diameterMeanNm + s.diameterSdNm * rng.normal();
    }
    evs.diameterNm[e] = Math.min(s.diameterMaxNm, Math.max(s.diameterMinNm, d));
    const r = evs.diameterNm[e] / 2;
    const subtype = s.subtypes[st];
    for (const source of sources) {
      let labelled: number;
      if (source === 'probe') {
        labelled = rng.poisson(subtype.probeMean);
        evs.probeCount[e] = labelled;
      } else {
        const mean = subtype.markerMeans[source] ?? 0;
        // A subtype "has" a marker when its mean is > 0, so it carries at least one copy.
        const count = mean > 0 ? 1 + rng.poisson(Math.max(0, mean - 1)) : 0;
        labelled = binomial(rng, count, s.labellingEfficiency);
        evs.markerCounts[source][e] = count;
        evs.labelledCounts[source][e] = labelled;
      }
      const m = mols.get(source)!;
      for (let k = 0; k < labelled; k++) {
        sphereSurfacePoint(rng, r, pt);
        m.id.push(nextId++);
        m.x.push(evs.x[e] + pt[0]);
        m.y.push(evs.y[e] + pt[1]);
        m.parent.push(e);
      }
    }
  }
  p.channels.forEach((ch, c) => {
    emitStaticMolecules(p, c, ch, mols.get(ch.source)!, events);
  });
  return { evs, ...noExtraTruth() };
}

/** True when a sample point lies inside the cell ellipse. */
export function insideCell(cell: CellTruth, x: number, y: number): boolean {
  return ellipseLevel(x, y, cell.x, cell.y, cell.rx, cell.ry, 0) < 1;
}
