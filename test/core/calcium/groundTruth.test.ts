// Issue 16's done-when, against the simulator's ground truth: responder accuracy ≥ 95 %, median
// latency error ≤ 2 frames, peak ΔF/F₀ within 5 %; on null stacks the false-responder rate stays
// within the nominal α the analysis reports.
import { describe, expect, it } from 'vitest';
import { analyseCalcium, type CalciumResult } from '../../../src/core/calcium';
import { median, scoreAgainstTruth, simulateCalcium } from './simTruth';

const PARAMS = { addFrame: 100, bleach: 'exp' as const, frameIntervalS: 0.5, k: 3, minFrames: 3 };

describe('calcium preset: responses recovered', () => {
  for (const seed of [16, 17]) {
    it(`seed ${seed}: accuracy, latency and peak meet the issue's bounds`, async () => {
      const { sim, truth } = simulateCalcium('calcium', seed);
      const r = await analyseCalcium(sim.stack, PARAMS);
      const s = scoreAgainstTruth(r, truth);
      expect(truth.responder.reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
      expect(s.matched).toBeGreaterThanOrEqual(0.95 * truth.length);
      expect(s.accuracy).toBeGreaterThanOrEqual(0.95);
      expect(median(s.latencyErrors)).toBeLessThanOrEqual(2);
      for (const e of s.peakRelErrors) expect(e).toBeLessThanOrEqual(0.05);
      // The summary agrees with the rows.
      expect(r.summary.responders).toBe(r.cells.filter((c) => c.responder).length);
      expect(r.summary.ci95[0]).toBeLessThanOrEqual(r.summary.fraction);
      expect(r.summary.ci95[1]).toBeGreaterThanOrEqual(r.summary.fraction);
    }, 240_000);
  }

  it('without bleach correction the peaks of late responses come out low (why --bleach exp exists)', async () => {
    const { sim, truth } = simulateCalcium('calcium', 16);
    const r = await analyseCalcium(sim.stack, { ...PARAMS, bleach: 'none' });
    const s = scoreAgainstTruth(r, truth);
    expect(median(s.peakRelErrors)).toBeGreaterThan(0.05);
  }, 240_000);
});

describe('calcium null preset: no responders', () => {
  it('false responder rate over seeds ≤ the nominal α', async () => {
    let cells = 0;
    let falses = 0;
    let last: CalciumResult | null = null;
    for (const seed of [1, 2, 3]) {
      const { sim, truth } = simulateCalcium('calciumNull', seed);
      expect(truth.responder.every((v) => v === 0)).toBe(true);
      const r = await analyseCalcium(sim.stack, PARAMS);
      cells += r.count;
      falses += r.cells.filter((c) => c.responder).length;
      last = r;
    }
    expect(cells).toBeGreaterThanOrEqual(85);
    const alpha = last?.alpha ?? 1;
    expect(alpha).toBeGreaterThan(0);
    expect(alpha).toBeLessThan(0.05);
    expect(falses / cells).toBeLessThanOrEqual(alpha);
  }, 480_000);
});
