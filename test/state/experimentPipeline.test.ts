// The browser batch measures structures from the movie worker's tables; its metrics must be the
// ones `evscope batch` computes from the labelled structures themselves (core structureMetrics).
import { expect, test } from 'vitest';
import { StructureLabeller } from '../../src/core/binarize/structures';
import { structureMetrics } from '../../src/core/experiment/summary';
import { structureResultMetrics } from '../../src/state/experimentPipeline';

test('structure metrics from the worker tables equal the core metrics of the same structures', () => {
  const w = 40;
  const h = 30;
  const px = 20;
  const lab = new StructureLabeller(w, h, 26, { x0Nm: 0, y0Nm: 0, pixelNm: px });
  // Three structures over 6 frames: a growing square, a short-lived blob, a late bar.
  for (let t = 0; t < 6; t++) {
    const m = new Uint8Array(w * h);
    const set = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * w + x] = 1;
    };
    set(2, 2, 5 + t, 5 + t);
    if (t >= 1 && t <= 2) set(25, 3, 29, 6);
    if (t >= 3) set(10, 22, 35, 24);
    lab.addFrame(m);
  }
  const s = lab.finish();
  const dt = 0.03;
  const core = structureMetrics(s, dt);
  const c = s.structures.columns;
  const p = s.perFrame;
  const worker = {
    threshold: 1,
    connectivity: 26 as const,
    frames: s.frameCount,
    count: s.count,
    structures: {
      id: Array.from(c.id),
      firstFrame: Array.from(c.firstFrame),
      lastFrame: Array.from(c.lastFrame),
      maxAreaNm2: Array.from(c.maxAreaNm2),
      meanDiameterNm: Array.from(c.meanDiameterNm),
      xNm: Array.from(c.xNm),
      yNm: Array.from(c.yNm),
    },
    perFrame: {
      count: Array.from(p.count),
      meanAreaNm2: Array.from(p.meanAreaNm2),
      meanDiameterNm: Array.from(p.meanDiameterNm),
    },
  };
  const mine = structureResultMetrics(worker, dt, w * h * px * px);
  expect(core['structures.count']).toBe(3);
  expect(Object.keys(mine).sort()).toEqual(Object.keys(core).sort());
  for (const k of Object.keys(core)) expect(mine[k], k).toBeCloseTo(core[k] as number, 9);
});
