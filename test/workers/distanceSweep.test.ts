// The distance analysis with its per-frame sweep split between the tracks worker and a helper
// worker (distanceSweep.api, here over a real MessageChannel) gives exactly the result of the
// single-threaded sweep — every per-position distance, the pooled per-structure values, the
// statistics — and a helper that dies fails the run with a reason instead of hanging it.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { presetParams } from '../../src/core/sim/presets';
import { simulate } from '../../src/core/sim/simulate';
import { createDistanceSweepApi, type DistanceSweepApi } from '../../workers/distanceSweep.api';
import { openRecipe, type StackRecipe } from '../../workers/stackRecipe';
import {
  createTracksApi,
  type DistanceRequest,
  type SweepHelper,
  type TracksResult,
} from '../../workers/tracks.api';

const p = presetParams('demo');
p.width = 48;
p.height = 48;
p.frames = 400;
if (p.scene.kind === 'uptake') {
  p.scene.evCount = 6;
  p.scene.evArrivalFraction = 0;
}
const recipe: StackRecipe = { kind: 'simulated', params: p };
const sim = simulate(p);
const ports: MessagePort[] = [];
let helpers = 0;

function helper(): SweepHelper {
  helpers++;
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  Comlink.expose(createDistanceSweepApi(), port1 as unknown as Comlink.Endpoint);
  return {
    api: Comlink.wrap<DistanceSweepApi>(port2 as unknown as Comlink.Endpoint),
    died: new Promise<never>(() => {}),
    terminate: () => port1.close(),
  };
}

function palm() {
  const e = sim.truth.events;
  const rows: number[] = [];
  for (let i = 0; i < e.length; i++) if (e.columns.channel[i] === 0) rows.push(i);
  return {
    length: rows.length,
    frame: Uint32Array.from(rows, (i) => e.columns.frame[i]),
    x: Float64Array.from(rows, (i) => e.columns.x[i]),
    y: Float64Array.from(rows, (i) => e.columns.y[i]),
    precision: new Float32Array(rows.length).fill(20),
  };
}

let tracks: TracksResult;
beforeAll(async () => {
  tracks = await createTracksApi(openRecipe).track({
    recipe,
    channel: 1,
    localize: {
      pixelSizeNm: 100,
      sigmaNm: 150,
      fitSigma: true,
      thresholdFactor: 2,
      camera: {
        kind: 'emccd',
        offsetAdu: 100,
        electronsPerAdu: 12,
        emGain: 100,
        quantumEfficiency: 1,
        readNoiseE: 0,
      },
    },
    link: { maxLinkDistance: 200, maxGap: 2 },
    filter: { minLength: 10, minMeanIntensity: 0 },
    frameIntervalS: 0.005,
  });
}, 120_000);
afterAll(() => {
  for (const port of ports) port.close();
});

function request(pooling: 'nearest' | 'pooled'): DistanceRequest {
  return {
    tracks: tracks.tracks,
    locs: palm(),
    rawFrames: p.frames,
    rawFrameIntervalS: 0.005,
    camera: { width: p.width, height: p.height, pixelNm: 100 },
    movie: {
      window: 100,
      step: 6,
      renderPxNm: 10,
      sigma: { kind: 'precision', factor: 1, minNm: 5 },
      smoothSigmaPx: 1,
    },
    threshold: { kind: 'otsu', sampleFrames: 10 },
    evAffine: null,
    control: { kind: 'field' },
    controlPerFrame: 50,
    cutoffNm: 240,
    histogram: { start: -500, width: 50, count: 30 },
    pooling,
  };
}

test.each(['nearest', 'pooled'] as const)(
  '%s: the sweep in two workers gives exactly the single-threaded result',
  async (pooling) => {
    expect(tracks.summary.length).toBeGreaterThan(0);
    const before = helpers;
    const one = await createTracksApi(openRecipe).distances(request(pooling));
    const two = await createTracksApi(openRecipe, helper).distances(request(pooling));
    expect(helpers).toBe(before + 1);
    expect(one.movieFrames).toBeGreaterThanOrEqual(40);
    const { elapsedMs: _a, ...a } = one;
    const { elapsedMs: _b, ...b } = two;
    expect(b).toEqual(a);
    // Not vacuous: positions inside and outside structures were measured.
    const d = Array.from(one.coloc.distances.columns.distance as ArrayLike<number>).filter(Number.isFinite);
    expect(d.some((v) => v < 0)).toBe(true);
    expect(d.some((v) => v > 0)).toBe(true);
  },
  300_000,
);

test('a helper that dies fails the run with its reason', async () => {
  const dying = (): SweepHelper => ({
    api: { sweep: () => new Promise(() => {}) } as unknown as Comlink.Remote<DistanceSweepApi>,
    died: Promise.reject(new Error('the distance helper worker stopped: out of memory')),
    terminate: () => {},
  });
  await expect(createTracksApi(openRecipe, dying).distances(request('nearest'))).rejects.toThrow(
    /helper worker stopped: out of memory/,
  );
}, 300_000);
