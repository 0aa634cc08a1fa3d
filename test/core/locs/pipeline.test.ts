import { expect, test } from 'vitest';
import { applyPipeline, type PostStep, parsePipeline } from '../../../src/core/locs/pipeline';
import { regionMask } from '../../../src/core/locs/region';
import { simulateStructures } from './simulate';

test('pipeline runs drift → merge → filter → region in order, leaving the raw table intact', () => {
  const F = 6000;
  const drift = (f: number): [number, number] => [80 * (f / F), -60 * Math.sin((Math.PI * f) / F)];
  const sim = simulateStructures({
    seed: 8,
    fovNm: 5000,
    molecules: 3000,
    frames: F,
    locsPerMolecule: 8,
    precisionNm: 10,
    timing: 'bursts',
    gapProbability: 0.1,
    drift,
  });
  const rawX = sim.table.columns.x.slice();
  const steps: PostStep[] = [
    { kind: 'drift', method: 'rcc', options: { segments: 6, pixelNm: 25, maxShiftNm: 400 } },
    { kind: 'merge', radiusNm: 50, maxGapFrames: 2 },
    { kind: 'filter', expression: 'n_merged >= 2 && photons > 1000' },
    { kind: 'region', region: { kind: 'rect', x0: 0, y0: 0, x1: 2500, y1: 5000 } },
    { kind: 'filter', expression: 'photons > 1e9', enabled: false },
  ];
  // Sessions store the steps as JSON: the round trip must give the same steps.
  const restored = parsePipeline(JSON.parse(JSON.stringify(steps)));
  expect(restored).toEqual(steps);
  const res = applyPipeline(sim.table, restored);
  expect(res.stats.map((s) => s.kind)).toEqual(['drift', 'merge', 'filter', 'region']);
  expect(res.stats[0].rowsOut).toBe(sim.table.length);
  expect(res.stats[1].rowsOut).toBeLessThan(sim.table.length / 4);
  for (let k = 1; k < res.stats.length; k++) expect(res.stats[k].rowsIn).toBe(res.stats[k - 1].rowsOut);
  const { x, photons, n_merged, x_raw } = res.table.columns;
  for (let i = 0; i < res.table.length; i++) {
    expect(x[i]).toBeLessThan(2500);
    expect(photons[i]).toBeGreaterThan(1000);
    expect(n_merged[i]).toBeGreaterThanOrEqual(2);
  }
  // The drift trace comes back near the truth. Coarse: with one burst per molecule, segments share
  // only the structures, not the molecules, so 6 segments give ~5–10 nm errors here.
  const last = res.drift!.dx.length - 1;
  expect(Math.abs(res.drift!.dx[last] - drift(last)[0])).toBeLessThan(20);
  // Raw data untouched, and merged rows still carry the raw coordinates.
  expect(sim.table.columns.x).toEqual(rawX);
  expect(x_raw).toBeDefined();
});

test('parsePipeline refuses malformed or hostile steps', () => {
  const bad: unknown[] = [
    {},
    [{ kind: 'filter', expression: 'constructor' }].map((s) => ({ ...s, expression: 'x; alert(1)' })),
    [{ kind: 'filter', expression: 42 }],
    [{ kind: 'merge', radiusNm: '50', maxGapFrames: 1 }],
    [{ kind: 'merge', radiusNm: 50, maxGapFrames: 1, weighting: 'evil' }],
    [{ kind: 'drift', method: 'aim' }],
    [{ kind: 'drift', method: 'rcc', options: { segments: 'ten' } }],
    [{ kind: 'drift', method: 'rcc', options: { __proto__: 1, mask: [1] } }],
    [{ kind: 'region', region: { kind: 'polygon', x: [0, 1], y: [0, 1] } }],
    [{ kind: 'rm -rf' }],
    [{ kind: 'drift', method: 'rcc', options: { smoothFrames: 5 } }],
    [{ kind: 'drift', method: 'fiducial', options: { regions: 'all' } }],
  ];
  for (const b of bad) expect(() => parsePipeline(b), JSON.stringify(b)).toThrow();
  expect(
    parsePipeline([
      {
        kind: 'drift',
        method: 'fiducial',
        options: { regions: [{ kind: 'rect', x0: 0, y0: 0, x1: 1, y1: 1 }] },
      },
    ]),
  ).toHaveLength(1);
});

test('region masks: rectangles are half-open, polygons use the even–odd rule, invert and AND', () => {
  const x = Float64Array.from([0, 10, 5, 5, 15, 7]);
  const y = Float64Array.from([0, 10, 5, 12, 5, 2]);
  expect([...regionMask(x, y, 6, { kind: 'rect', x0: 0, y0: 0, x1: 10, y1: 10 })]).toEqual([
    1, 0, 1, 0, 0, 1,
  ]);
  // A triangle (0,0)–(10,0)–(0,10): (7,2) is inside, (5,5) is on the hypotenuse's far side.
  const tri = { kind: 'polygon' as const, x: [0, 10, 0], y: [0, 0, 10] };
  expect([...regionMask(x, y, 6, tri)]).toEqual([1, 0, 0, 0, 0, 1]);
  expect([...regionMask(x, y, 6, tri, true)]).toEqual([0, 1, 1, 1, 1, 0]);
  const m = regionMask(x, y, 6, { kind: 'rect', x0: 0, y0: 0, x1: 10, y1: 10 });
  regionMask(x, y, 6, tri, true, m);
  expect([...m]).toEqual([0, 0, 1, 0, 0, 0]);
});
