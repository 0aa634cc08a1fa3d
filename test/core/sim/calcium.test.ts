import { describe, expect, it } from 'vitest';
import {
  bleachFactor,
  CALCIUM_TRUTH_COLUMNS,
  calciumTruthCsv,
  presetParams,
  simulate,
  trueDff,
  validateSimulationParams,
} from '../../../src/core/sim';

describe('calcium scene', () => {
  const p = presetParams('calcium');
  p.frames = 160;
  p.width = 128;
  p.height = 128;
  if (p.scene.kind !== 'calcium') throw new Error('not calcium');
  p.scene.cellCount = 10;
  p.scene.latencyMaxFrames = 30;
  p.scene.responderFraction = 0.6;
  const sim = simulate(p);
  const t = sim.truth.calcium;
  if (!t) throw new Error('no calcium truth');

  it('cells are placed without overlap, rasterised, and a fraction responds', () => {
    expect(t.length).toBe(10);
    const areas = new Int32Array(10);
    for (const l of t.labels) if (l) areas[l - 1]++;
    expect(Array.from(areas)).toEqual(Array.from(t.areaPx));
    for (let c = 0; c < 10; c++) {
      const expected = (Math.PI * t.rx[c] * t.ry[c]) / (p.pixelSizeNm * p.pixelSizeNm);
      expect(Math.abs(t.areaPx[c] - expected) / expected).toBeLessThan(0.15);
    }
    const n = t.responder.reduce((a, b) => a + b, 0);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(10);
  });

  it('the expected photons follow resting × bleach × (1 + ΔF/F₀) + background', () => {
    const c = t.responder.indexOf(1);
    const pixel = t.labels.indexOf(c + 1);
    const f = t.peakFrame[c];
    const img = sim.stack.expectedPhotons(f);
    expect(trueDff(t, c, f)).toBeCloseTo(t.amplitude[c], 12);
    expect(trueDff(t, c, t.addFrame + t.latencyFrames[c] - 1)).toBe(0);
    const want = t.resting[c] * bleachFactor(t, f) * (1 + t.amplitude[c]);
    // The background is the same in every frame: frame 0 (no response yet) gives it.
    const rest = sim.stack.expectedPhotons(0)[pixel];
    const bgHere = rest - t.resting[c] * bleachFactor(t, 0);
    expect(img[pixel] - bgHere).toBeCloseTo(want, 6);
  });

  it('frames are deterministic and noisy around the expectation', async () => {
    const a = await sim.stack.readFrame(50);
    const b = await simulate(p).stack.readFrame(50);
    expect(Array.from(a)).toEqual(Array.from(b));
    const mu = sim.stack.expectedPhotons(50);
    let d = 0;
    for (let i = 0; i < a.length; i++) d += a[i] - p.camera.offsetAdu - mu[i];
    expect(Math.abs(d / a.length)).toBeLessThan(0.5);
  });

  it('truth CSV: one row per cell, stable columns, latency only for responders', () => {
    const lines = calciumTruthCsv(t, p.pixelSizeNm).trim().split('\n');
    expect(lines[0]).toBe(CALCIUM_TRUTH_COLUMNS.join(','));
    expect(lines).toHaveLength(11);
    for (let c = 0; c < 10; c++) {
      const cols = lines[c + 1].split(',');
      expect(cols[8]).toBe(String(t.responder[c]));
      expect(cols[9] === '').toBe(t.responder[c] === 0);
    }
  });

  it('the null preset has no responders; bad parameters are named', () => {
    const n = presetParams('calciumNull');
    expect(n.scene.kind === 'calcium' && n.scene.responderFraction).toBe(0);
    const bad = presetParams('calcium');
    if (bad.scene.kind !== 'calcium') throw new Error('not calcium');
    bad.scene.addFrame = bad.frames;
    bad.scene.responderFraction = 2;
    const problems = validateSimulationParams(bad).join('\n');
    expect(problems).toMatch(/addition frame/);
    expect(problems).toMatch(/responder fraction/);
  });
});
