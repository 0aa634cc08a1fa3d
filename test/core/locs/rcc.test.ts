import { expect, test } from 'vitest';
import { applyDrift } from '../../../src/core/locs/driftTrace';
import { interpolateOnFrames } from '../../../src/core/locs/interpolate';
import { rccDrift } from '../../../src/core/locs/rcc';
import { simulateStructures } from './simulate';

const F = 10_000;
const drift = (f: number): [number, number] => {
  const t = f / F;
  return [
    120 * Math.sin(2 * Math.PI * 0.75 * t) + 40 * t,
    150 * t * t - 60 * Math.sin(2 * Math.PI * 1.3 * t),
  ];
};

test('RCC recovers a smooth 150 nm drift to < 5 nm RMS (40,000 localizations, 10,000 frames)', () => {
  const sim = simulateStructures({
    seed: 11,
    fovNm: 5000,
    molecules: 2000,
    frames: F,
    locsPerMolecule: 20,
    precisionNm: 10,
    drift,
  });
  expect(sim.table.length).toBeGreaterThan(38_000);
  const res = rccDrift(sim.table, { segments: 20, pixelNm: 25, maxShiftNm: 500 });
  let ss = 0;
  let sx = 0;
  let sy = 0;
  for (let f = 0; f < F; f++) {
    sx += res.trace.dx[f] - drift(f)[0];
    sy += res.trace.dy[f] - drift(f)[1];
  }
  // The absolute reference is extrapolated to frame 0, so compare shapes after removing the offset.
  const ox = sx / F;
  const oy = sy / F;
  for (let f = 0; f < F; f++) {
    ss += (res.trace.dx[f] - drift(f)[0] - ox) ** 2 + (res.trace.dy[f] - drift(f)[1] - oy) ** 2;
  }
  const rms = Math.sqrt(ss / F);
  console.log(
    `RCC: image ${res.imageSize}², RMS ${rms.toFixed(2)} nm, offset (${ox.toFixed(1)}, ${oy.toFixed(1)}) nm, rejected ${res.rejectedPairs}/${res.pairs}, residual ${res.residualRmsNm.toFixed(2)} nm`,
  );
  expect(rms).toBeLessThan(5);
  expect(Math.hypot(ox, oy)).toBeLessThan(10);
  expect(res.trace.dx[0]).toBe(0);

  // Applying the trace restores the structure: corrected positions scatter by ~precision only.
  const corrected = applyDrift(sim.table, res.trace);
  expect(corrected.columns.x_raw).toBe(sim.table.columns.x);
  let err = 0;
  for (let i = 0; i < corrected.length; i++)
    err +=
      (corrected.columns.x[i] + ox - sim.trueX[i]) ** 2 + (corrected.columns.y[i] + oy - sim.trueY[i]) ** 2;
  const perAxis = Math.sqrt(err / (2 * corrected.length));
  expect(perAxis).toBeLessThan(10 * 1.15);
  expect(perAxis).toBeGreaterThan(9);
});

test('natural cubic spline reproduces a cubic-free curve and extrapolates linearly', () => {
  const t = [0, 10, 20, 30, 40];
  const v = t.map((q) => 2 * q + 1);
  const out = interpolateOnFrames(t, v, 60);
  for (let f = 0; f < 60; f++) expect(out[f]).toBeCloseTo(2 * f + 1, 9);
  const lin = interpolateOnFrames([5, 15], [0, 10], 20, 'linear');
  expect(lin[0]).toBeCloseTo(-5, 12);
  expect(lin[10]).toBeCloseTo(5, 12);
  // Through a smooth sine the spline beats straight segments (away from the natural ends, whose
  // zero-curvature condition the sine does not satisfy).
  const ts = Array.from({ length: 11 }, (_, i) => i * 100);
  const vs = ts.map((q) => Math.sin(q / 200));
  const sp = interpolateOnFrames(ts, vs, 1001);
  const li = interpolateOnFrames(ts, vs, 1001, 'linear');
  let es = 0;
  let el = 0;
  for (let f = 200; f <= 800; f++) {
    es = Math.max(es, Math.abs(sp[f] - Math.sin(f / 200)));
    el = Math.max(el, Math.abs(li[f] - Math.sin(f / 200)));
  }
  expect(es).toBeLessThan(el / 5);
});

test('applyDrift subtracts per frame, clamps past the trace, and never loses the raw coordinates', () => {
  const t = {
    length: 3,
    columns: {
      frame: Uint32Array.from([0, 1, 7]),
      x: Float64Array.from([10, 20, 30]),
      y: Float64Array.from([5, 5, 5]),
    },
  };
  const trace = {
    method: 'rcc' as const,
    dx: Float64Array.from([0, 2, 4]),
    dy: Float64Array.from([0, -1, -2]),
    nodes: { frame: new Float64Array(0), dx: new Float64Array(0), dy: new Float64Array(0) },
  };
  const once = applyDrift(t, trace);
  expect([...once.columns.x]).toEqual([10, 18, 26]);
  expect([...once.columns.y]).toEqual([5, 6, 7]);
  const twice = applyDrift(once, trace);
  expect([...twice.columns.x]).toEqual([10, 16, 22]);
  // The raw columns still hold the uncorrected input after two corrections.
  expect([...twice.columns.x_raw]).toEqual([10, 20, 30]);
  expect(twice.columns.frame).toBe(t.columns.frame);
  expect([...t.columns.x]).toEqual([10, 20, 30]);
});
