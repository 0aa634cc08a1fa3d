// Issue 7 "Done when": on the simulator's uptake scene the distance analysis recovers the truth.
// PALM localizations are the truth emission events of channel 0 with 20 nm precision noise; the
// EVs are the truth trajectories on channel 0's camera (sample + stage drift); the movie is
// rendered, binarized (pooled Otsu) and swept exactly as in the app. EVs the simulator put inside
// a structure must read negative distances in those movie frames, mobile EVs positive, and the
// EV histogram must sit closer to the structures than the random control (KS).
import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/random';
import { presetParams } from '../../src/core/sim/presets';
import { simulate } from '../../src/core/sim/simulate';
import { EV_STATE } from '../../src/core/sim/truth';
import { movieBlockOffset } from '../../src/core/spt/blocks';
import { sortTrackTable, type TrackTable } from '../../src/core/spt/types';
import { createTracksApi } from '../../workers/tracks.api';

function uptake() {
  const p = presetParams('demo');
  p.width = 64;
  p.height = 64;
  p.frames = 1100;
  if (p.scene.kind === 'uptake') {
    p.scene.evCount = 12;
    p.scene.evArrivalFraction = 0.1;
  }
  return simulate(p);
}

describe('distance analysis on the simulated uptake scene', () => {
  test('inside EVs read negative distances, mobile ones positive; EVs sit closer than controls', async () => {
    const sim = uptake();
    const { events, trajectories: tr, driftX, driftY } = sim.truth;
    const r = new Rng(7);
    const frame: number[] = [];
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < events.length; i++) {
      if (events.columns.channel[i] !== 0) continue;
      frame.push(events.columns.frame[i]);
      x.push(events.columns.x[i] + 20 * r.normal());
      y.push(events.columns.y[i] + 20 * r.normal());
    }
    const locs = {
      length: frame.length,
      frame: Uint32Array.from(frame),
      x: Float64Array.from(x),
      y: Float64Array.from(y),
      precision: new Float32Array(frame.length).fill(20),
    };
    const n = tr.length;
    const tracks: TrackTable = sortTrackTable({
      length: n,
      columns: {
        track: Uint32Array.from(tr.ev),
        frame: Uint32Array.from(tr.frame),
        x: Float64Array.from(tr.x, (v, i) => v + driftX[tr.frame[i]]),
        y: Float64Array.from(tr.y, (v, i) => v + driftY[tr.frame[i]]),
        intensity: new Float64Array(n).fill(1),
      },
    });
    const W = 300;
    const S = 6;
    const api = createTracksApi();
    const res = await api.distances({
      tracks,
      locs,
      rawFrames: sim.params.frames,
      rawFrameIntervalS: 0.005,
      camera: { width: sim.params.width, height: sim.params.height, pixelNm: sim.params.pixelSizeNm },
      movie: {
        window: W,
        step: S,
        renderPxNm: 10,
        sigma: { kind: 'precision', factor: 1, minNm: 5 },
        smoothSigmaPx: 1,
      },
      threshold: { kind: 'otsu', sampleFrames: 10 },
      evAffine: null,
      control: { kind: 'field' },
      controlPerFrame: 100,
      cutoffNm: 240,
      histogram: { start: -500, width: 50, count: 30 },
      pooling: 'nearest',
    });
    // Truth state of each (track, movie frame): the state of every raw frame of its block.
    const off = movieBlockOffset(S, W);
    const stateAt = new Map<string, number>();
    for (let i = 0; i < n; i++) stateAt.set(`${tr.ev[i]}:${tr.frame[i]}`, tr.state[i]);
    const d = res.coloc.distances.columns;
    const inside: number[] = [];
    const mobile: number[] = [];
    for (let i = 0; i < res.coloc.distances.length; i++) {
      const b = d.frame[i] + off;
      const states = new Set<number | undefined>();
      for (let f = b * S; f < (b + 1) * S; f++) states.add(stateAt.get(`${d.track[i]}:${f}`));
      if (states.size !== 1) continue;
      const s = [...states][0];
      if (s === EV_STATE.inside) inside.push(d.distance[i]);
      else if (s === EV_STATE.mobile) mobile.push(d.distance[i]);
    }
    const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
    const negInside = inside.filter((v) => v < 0).length / inside.length;
    expect(inside.length).toBeGreaterThan(20);
    expect(mobile.length).toBeGreaterThan(20);
    expect(median(inside)).toBeLessThan(0);
    expect(negInside).toBeGreaterThan(0.7);
    expect(median(mobile)).toBeGreaterThan(0);
    expect(res.coloc.ks.p).toBeLessThan(1e-3);
    expect(res.coloc.evFractionWithin).toBeGreaterThan(res.coloc.controlFractionWithin);
  }, 120_000);
});
