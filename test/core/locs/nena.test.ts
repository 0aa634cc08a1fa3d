import { expect, test } from 'vitest';
import { mergeBlinks } from '../../../src/core/locs/merge';
import { MERGED_NENA_WARNING, nena } from '../../../src/core/locs/nena';
import { simulateStructures } from './simulate';

for (const precision of [8, 15, 25]) {
  test(`NeNA recovers a ${precision} nm precision within 15%`, () => {
    const sim = simulateStructures({
      seed: precision,
      fovNm: 20_000,
      molecules: 4000,
      frames: 5000,
      locsPerMolecule: 5,
      precisionNm: precision,
      timing: 'bursts',
      gapProbability: 0.1,
      layout: 'structures',
    });
    const r = nena(sim.table);
    console.log(
      `NeNA ${precision} nm → ${r.sigmaNm.toFixed(2)} nm from ${r.pairs} pairs, bg ${r.background.toFixed(3)}`,
    );
    expect(r.sigmaNm / precision).toBeGreaterThan(0.85);
    expect(r.sigmaNm / precision).toBeLessThan(1.15);
    // The fitted curve accounts for the counts it was fitted to.
    const total = r.counts.reduce((a, b) => a + b);
    const fitted = r.fit.reduce((a, b) => a + b);
    expect(Math.abs(fitted / total - 1)).toBeLessThan(0.05);
  });
}

test('NeNA background term absorbs chance neighbours at high density', () => {
  // ~4 active molecules per µm² per frame: a chance neighbour within 120 nm in ~1 of 6 lookups.
  const sim = simulateStructures({
    seed: 3,
    fovNm: 3000,
    molecules: 12_000,
    frames: 2000,
    locsPerMolecule: 4,
    precisionNm: 12,
    timing: 'bursts',
    layout: 'uniform',
  });
  const r = nena(sim.table, { maxDistanceNm: 120 });
  console.log(`NeNA dense → ${r.sigmaNm.toFixed(2)} nm, bg ${r.background.toFixed(3)}`);
  expect(r.background).toBeGreaterThan(0);
  expect(Math.abs(r.sigmaNm / 12 - 1)).toBeLessThan(0.15);
});

test('NeNA on blink-merged data overestimates σ and says so', () => {
  const sim = simulateStructures({
    seed: 3,
    fovNm: 20_000,
    molecules: 4000,
    frames: 5000,
    locsPerMolecule: 5,
    precisionNm: 15,
    timing: 'bursts',
    gapProbability: 0.1,
    layout: 'structures',
  });
  const raw = nena(sim.table);
  expect(raw.warning).toBeUndefined();
  const merged = mergeBlinks(sim.table, { radiusNm: 60, maxGapFrames: 1 }).table;
  const m = nena(merged);
  console.log(`NeNA 15 nm: unmerged ${raw.sigmaNm.toFixed(1)} nm, merged ${m.sigmaNm.toFixed(1)} nm`);
  expect(m.sigmaNm).toBeGreaterThan(1.5 * raw.sigmaNm);
  expect(m.warning).toBe(MERGED_NENA_WARNING);
});
