// Small sessions for the session tests: every column dtype, a localization table (ShareLoc
// records), a post-processed one and a track table (evscope columnar entries).
import { Rng } from '../../../src/core/random';
import { createSession, type Session, type SessionTable } from '../../../src/core/session/model';
import { presetParams } from '../../../src/core/sim/presets';

export function demoTables(n = 500, seed = 3): SessionTable[] {
  const r = new Rng(seed, 0);
  const f64 = (g: () => number) => Float64Array.from({ length: n }, g);
  const f32 = (g: () => number) => Float32Array.from({ length: n }, g);
  const locs: SessionTable = {
    id: 'locs',
    name: 'localizations',
    kind: 'localizations',
    length: n,
    stack: 's1',
    columns: {
      frame: Uint32Array.from({ length: n }, (_, i) => Math.floor(i / 5)),
      x: f64(() => r.uniform() * 25600),
      y: f64(() => r.uniform() * 25600),
      sigma: f32(() => 100 + 50 * r.uniform()),
      photons: f32(() => r.exponential(1000)),
      bg: f32(() => r.uniform() * 20),
      precision: f32(() => r.uniform() * 30),
      logL: f32(() => -r.exponential(10)),
      iterations: Uint8Array.from({ length: n }, () => Math.floor(r.uniform() * 30)),
      channel: Uint16Array.from({ length: n }, (_, i) => i % 2),
      flags: Int32Array.from({ length: n }, (_, i) => (i % 7) - 3),
    },
    units: { x: 'nm', y: 'nm', sigma: 'nm', photons: 'photon', bg: 'photon', precision: 'nm' },
  };
  // Special values must survive bit for bit.
  (locs.columns.photons as Float32Array)[0] = Number.NaN;
  (locs.columns.x as Float64Array)[1] = -0;
  (locs.columns.logL as Float32Array)[2] = Number.NEGATIVE_INFINITY;
  const post: SessionTable = {
    id: 'post',
    name: 'post-processed',
    kind: 'localizations-post',
    length: 3,
    source: 'locs',
    columns: { frame: Uint32Array.of(0, 1, 2), x: Float64Array.of(1, 2, 3), y: Float64Array.of(4, 5, 6) },
    units: { x: 'nm', y: 'nm' },
  };
  const tracks: SessionTable = {
    id: 'tracks',
    name: 'EV tracks',
    kind: 'tracks',
    length: 4,
    columns: {
      track: Uint32Array.of(0, 0, 1, 1),
      frame: Uint32Array.of(3, 4, 3, 5),
      x: Float64Array.of(10.5, 11, 200, 201),
      y: Float64Array.of(1, 2, 3, 4),
    },
    units: { x: 'nm', y: 'nm' },
  };
  const empty: SessionTable = {
    id: 'dist',
    name: 'distances',
    kind: 'distances',
    length: 0,
    columns: { d: new Float64Array(0) },
    units: { d: 'nm' },
  };
  return [locs, post, tracks, empty];
}

export function demoSession(): Session {
  return createSession({
    appVersion: '0.1.0',
    now: new Date('2026-11-25T12:00:00Z'),
    title: 'EV demo <script>alert(1)</script>',
    notes: 'line 1\nline 2\t<b>bold?</b>',
    inputs: [
      { id: 'in1', name: 'movie.tif', size: 123456, fingerprint: 'evfp1:0123456789abcdef', role: 'stack' },
    ],
    stacks: [
      {
        id: 's1',
        label: 'movie.tif',
        recipe: { kind: 'files', inputs: ['in1'] },
        meta: { pixelSizeNm: 100 },
      },
      {
        id: 's2',
        label: 'simulated',
        recipe: { kind: 'simulated', params: JSON.parse(JSON.stringify(presetParams('demo'))) },
        meta: {},
      },
    ],
    steps: {
      localize: { pixelSizeNm: 100, sigmaNm: 130, fitter: 'mle' },
      post: [{ kind: 'merge', radiusNm: 50, maxGapFrames: 1 }],
      movie: { windowFrames: 500, stepFrames: 100 },
    },
    view: {
      step: 'post',
      centreView: 'reconstruction',
      frame: 12,
      zoom: 2.5,
      colormaps: { reconstruction: 'hot' },
    },
  });
}
