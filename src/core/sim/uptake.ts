// The EV-uptake scene: a cell whose membrane structures (caveolae-like pits, larger endocytic
// patches) assemble and disassemble, seen by PALM of a structure protein, and EVs that land,
// diffuse, bind beside a structure, enter it and are internalised.
import { Rng } from '../random';
import type { EventBuilder } from './events';
import { distanceOutsideEllipse, ellipseLevel, samplePointInEllipse } from './geometry';
import type { SimulationParams, UptakeScene } from './params';
import { emitPhotophysics, framePhotons, palmOnFrames } from './photophysics';
import type { SceneOutput } from './scenes';
import { PHOTOPHYSICS_TAG, SCENE_TAG, subSeed } from './seeds';
import {
  allocEvTruth,
  allocStructureTruth,
  allocTrajectoryTruth,
  type CellTruth,
  EV_STATE,
  type StructureTruth,
  structureProfile,
  type TrajectoryTruth,
} from './truth';

interface PendingStructure {
  kind: number;
  x: number;
  y: number;
  rx: number;
  ry: number;
  angle: number;
  start: number;
  end: number;
}

function sampleStructures(p: SimulationParams, s: UptakeScene, cell: CellTruth, rng: Rng): StructureTruth {
  const dtS = p.frameIntervalMs / 1000;
  const areaUm2 = (Math.PI * cell.rx * cell.ry) / 1e6;
  const movieS = p.frames * dtS;
  const pending: PendingStructure[] = [];
  const pt = new Float64Array(2);
  const kinds = [
    {
      rate: s.caveolaBirthsPerUm2PerS,
      life: s.caveolaMeanLifetimeS,
      dmin: s.caveolaDiameterMinNm,
      dmax: s.caveolaDiameterMaxNm,
      round: true,
    },
    {
      rate: s.patchBirthsPerUm2PerS,
      life: s.patchMeanLifetimeS,
      dmin: s.patchDiameterMinNm,
      dmax: s.patchDiameterMaxNm,
      round: false,
    },
  ];
  kinds.forEach((k, kind) => {
    // Births start well before frame 0 so the movie opens on a steady state, not an empty cell.
    const lead = 3 * k.life;
    const count = rng.poisson(k.rate * areaUm2 * (movieS + lead));
    for (let i = 0; i < count; i++) {
      const birth = -lead + rng.uniform() * (movieS + lead);
      // Gamma(2) lifetimes: few structures flash for a single frame, as in real movies.
      const life = rng.gamma(2, k.life / 2);
      if (birth + life <= 0) continue;
      const rx = (k.dmin + rng.uniform() * (k.dmax - k.dmin)) / 2;
      const ry = k.round ? rx : rx * (0.6 + 0.4 * rng.uniform());
      const angle = k.round ? 0 : Math.PI * rng.uniform();
      // Keep the structure inside the cell: place its centre in the cell shrunk by its radius.
      samplePointInEllipse(
        rng.uniform(),
        rng.uniform(),
        cell.x,
        cell.y,
        Math.max(1, cell.rx - rx),
        Math.max(1, cell.ry - rx),
        0,
        pt,
      );
      const start = Math.floor(birth / dtS);
      pending.push({
        kind,
        x: pt[0],
        y: pt[1],
        rx,
        ry,
        angle,
        start,
        end: Math.max(start + 1, Math.floor((birth + life) / dtS)),
      });
    }
  });
  pending.sort((a, b) => a.start - b.start);
  const t = allocStructureTruth(pending.length);
  pending.forEach((q, i) => {
    t.id[i] = i;
    t.kind[i] = q.kind;
    t.x[i] = q.x;
    t.y[i] = q.y;
    t.rx[i] = q.rx;
    t.ry[i] = q.ry;
    t.angle[i] = q.angle;
    t.startFrame[i] = q.start;
    t.endFrame[i] = q.end;
    t.rampFrames[i] = Math.floor(s.rampFraction * (q.end - q.start));
  });
  return t;
}

/** Labelled structure molecules and the free pool, emitted by each channel that images "structures". */
function emitStructureChannels(
  p: SimulationParams,
  s: UptakeScene,
  cell: CellTruth,
  st: StructureTruth,
  rng: Rng,
  events: EventBuilder,
  ids: { next: number },
): void {
  const areaUm2 = (Math.PI * cell.rx * cell.ry) / 1e6;
  // Molecule geometry and counts come from the scene RNG so every structure channel sees the same molecules.
  const molStart: number[] = [];
  const molX: number[] = [];
  const molY: number[] = [];
  const molParent: number[] = [];
  const molActivation: number[] = [];
  const pt = new Float64Array(2);
  for (let i = 0; i < st.length; i++) {
    const area = (Math.PI * st.rx[i] * st.ry[i]) / 1e6;
    const perLife = st.kind[i] === 0 ? s.caveolaMolecules : s.patchMoleculesPerUm2 * area;
    const meanLifeS = st.kind[i] === 0 ? s.caveolaMeanLifetimeS : s.patchMeanLifetimeS;
    const lifeS = ((st.endFrame[i] - st.startFrame[i]) * p.frameIntervalMs) / 1000;
    const mean = s.structureLabelling === 'perTime' ? (perLife * lifeS) / meanLifeS : perLife;
    const n = rng.poisson(mean);
    st.molecules[i] = n;
    const a = st.startFrame[i];
    const span = st.endFrame[i] - a;
    for (let m = 0; m < n; m++) {
      // Activation times follow the structure's density profile (rejection sampling; acceptance ≥ 1/2).
      let f: number;
      do f = a + Math.floor(rng.uniform() * span);
      while (rng.uniform() >= structureProfile(st, i, f));
      samplePointInEllipse(
        rng.uniform(),
        rng.uniform(),
        st.x[i],
        st.y[i],
        st.rx[i],
        st.ry[i],
        st.angle[i],
        pt,
      );
      molStart.push(ids.next++);
      molX.push(pt[0]);
      molY.push(pt[1]);
      molParent.push(i);
      molActivation.push(f);
    }
  }
  const free = rng.poisson(s.freeMoleculesPerUm2 * areaUm2);
  for (let m = 0; m < free; m++) {
    samplePointInEllipse(rng.uniform(), rng.uniform(), cell.x, cell.y, cell.rx, cell.ry, 0, pt);
    molStart.push(ids.next++);
    molX.push(pt[0]);
    molY.push(pt[1]);
    molParent.push(-1);
    molActivation.push(-1);
  }
  p.channels.forEach((ch, c) => {
    if (ch.source !== 'structures') return;
    const crng = new Rng(subSeed(p.seed, PHOTOPHYSICS_TAG + c), 0);
    for (let m = 0; m < molStart.length; m++) {
      const x = molX[m];
      const y = molY[m];
      const id = molStart[m];
      const parent = molParent[m];
      const sink = (frame: number, fraction: number) => {
        if (frame < 0 || frame >= p.frames) return;
        events.push(
          frame,
          c,
          x,
          y,
          framePhotons(crng, ch.photonsPerFrame, fraction, ch.photonVariability),
          id,
          parent,
        );
      };
      if (parent < 0) {
        emitPhotophysics(crng, ch.photophysics, 0, p.frames, sink);
      } else if (ch.photophysics.kind === 'palm') {
        // Molecules leave with their structure: emission stops when it disassembles.
        palmOnFrames(
          crng,
          ch.photophysics.meanOnFrames,
          molActivation[m],
          Math.min(p.frames, st.endFrame[parent]),
          sink,
        );
      } else {
        emitPhotophysics(
          crng,
          ch.photophysics,
          Math.max(0, st.startFrame[parent]),
          Math.min(p.frames, st.endFrame[parent]),
          sink,
        );
      }
    }
  });
}

/** Per-frame Brownian motion with binding, entry and internalisation; returns contiguous rows per EV. */
function simulateEvs(
  p: SimulationParams,
  s: UptakeScene,
  cell: CellTruth,
  st: StructureTruth,
  rng: Rng,
): { evs: ReturnType<typeof allocEvTruth>; traj: TrajectoryTruth } {
  const evs = allocEvTruth(s.evCount, [], ['EV']);
  const dtS = p.frameIntervalMs / 1000;
  const step = Math.sqrt(2 * s.evDiffusionUm2PerS * 1e6 * dtS);
  const boundStep = Math.sqrt(2 * s.boundDiffusionUm2PerS * 1e6 * dtS);
  const boundDwell = s.boundDwellS / dtS;
  const insideDwell = s.insideDwellS / dtS;
  const fw = p.width * p.pixelSizeNm;
  const fh = p.height * p.pixelSizeNm;
  const rows: {
    ev: number[];
    frame: number[];
    x: number[];
    y: number[];
    state: number[];
    structure: number[];
  } = {
    ev: [],
    frame: [],
    x: [],
    y: [],
    state: [],
    structure: [],
  };
  const pt = new Float64Array(2);
  const reflect = (v: number, max: number) => (v < 0 ? -v : v >= max ? 2 * max - v - 1e-9 : v);
  for (let e = 0; e < s.evCount; e++) {
    evs.id[e] = e;
    evs.diameterNm[e] = 70 + 15 * rng.uniform();
    const arrival = Math.floor(rng.uniform() * s.evArrivalFraction * p.frames);
    evs.arrivalFrame[e] = arrival;
    samplePointInEllipse(rng.uniform(), rng.uniform(), cell.x, cell.y, cell.rx, cell.ry, 0, pt);
    let x = pt[0];
    let y = pt[1];
    evs.x[e] = x;
    evs.y[e] = y;
    let state: number = EV_STATE.mobile;
    let structure = -1;
    let dwell = 0;
    for (let f = arrival; f < p.frames; f++) {
      rows.ev.push(e);
      rows.frame.push(f);
      rows.x.push(x);
      rows.y.push(y);
      rows.state.push(state);
      rows.structure.push(structure);
      // Move to frame f + 1.
      if (state === EV_STATE.mobile) {
        x = reflect(x + step * rng.normal(), fw);
        y = reflect(y + step * rng.normal(), fh);
        let best = -1;
        let bestD = s.captureDistanceNm;
        for (let i = 0; i < st.length; i++) {
          if (st.startFrame[i] > f + 1) break;
          if (st.endFrame[i] <= f + 1) continue;
          const d = distanceOutsideEllipse(x, y, st.x[i], st.y[i], st.rx[i], st.ry[i], st.angle[i]);
          if (d <= bestD) {
            bestD = d;
            best = i;
          }
        }
        if (best >= 0 && rng.uniform() < s.bindProbabilityPerFrame) {
          state = EV_STATE.bound;
          structure = best;
          dwell = rng.exponential(boundDwell);
        }
      } else {
        const nx = x + boundStep * rng.normal();
        const ny = y + boundStep * rng.normal();
        // Inside a structure the EV stays confined to it: steps that would leave are rejected.
        if (
          state !== EV_STATE.inside ||
          ellipseLevel(
            nx,
            ny,
            st.x[structure],
            st.y[structure],
            st.rx[structure],
            st.ry[structure],
            st.angle[structure],
          ) < 0.64
        ) {
          x = nx;
          y = ny;
        }
        dwell -= 1;
        const ended = st.endFrame[structure] <= f + 1;
        if (state === EV_STATE.bound) {
          if (ended) {
            state = EV_STATE.mobile;
            structure = -1;
          } else if (dwell <= 0) {
            state = EV_STATE.inside;
            samplePointInEllipse(
              rng.uniform(),
              rng.uniform(),
              st.x[structure],
              st.y[structure],
              0.5 * st.rx[structure],
              0.5 * st.ry[structure],
              st.angle[structure],
              pt,
            );
            x = pt[0];
            y = pt[1];
            dwell = rng.exponential(insideDwell);
          }
        } else if (ended || dwell <= 0) {
          evs.internalisedFrame[e] = f + 1;
          break;
        }
      }
    }
  }
  const traj = allocTrajectoryTruth(rows.ev.length);
  traj.ev.set(rows.ev);
  traj.frame.set(rows.frame);
  traj.x.set(rows.x);
  traj.y.set(rows.y);
  traj.state.set(rows.state);
  traj.structure.set(rows.structure);
  return { evs, traj };
}

export function buildUptakeScene(p: SimulationParams, s: UptakeScene, events: EventBuilder): SceneOutput {
  const rng = new Rng(subSeed(p.seed, SCENE_TAG), 0);
  const fw = p.width * p.pixelSizeNm;
  const fh = p.height * p.pixelSizeNm;
  const cell: CellTruth = {
    x: fw / 2,
    y: fh / 2,
    rx: (s.cellFraction * fw) / 2,
    ry: (s.cellFraction * fh) / 2,
  };
  const structures = sampleStructures(p, s, cell, rng);
  const ids = { next: 0 };
  emitStructureChannels(p, s, cell, structures, rng, events, ids);
  const { evs, traj } = simulateEvs(p, s, cell, structures, new Rng(subSeed(p.seed, SCENE_TAG + 1), 0));
  const evIdBase = ids.next;
  p.channels.forEach((ch, c) => {
    if (ch.source !== 'evs') return;
    const crng = new Rng(subSeed(p.seed, PHOTOPHYSICS_TAG + c), 1);
    let row = 0;
    for (let e = 0; e < evs.length; e++) {
      const base = row;
      while (row < traj.length && traj.ev[row] === e) row++;
      if (row === base) continue;
      const first = traj.frame[base];
      emitPhotophysics(crng, ch.photophysics, first, first + (row - base), (frame, fraction) => {
        const r = base + frame - first;
        events.push(
          frame,
          c,
          traj.x[r],
          traj.y[r],
          framePhotons(crng, ch.photonsPerFrame, fraction, ch.photonVariability),
          evIdBase + e,
          e,
        );
      });
    }
  });
  return { evs, trajectories: traj, structures, cell };
}
