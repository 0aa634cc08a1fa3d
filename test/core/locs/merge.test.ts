import { expect, test } from 'vitest';
import { linkBlinks } from '../../../src/core/locs/link';
import { mergeBlinks } from '../../../src/core/locs/merge';
import { locTableFromColumns } from '../../../src/core/locs/table';
import { simulateStructures } from './simulate';

test('merging semantics: gaps, radius, first/last frame, sums and combined precision', () => {
  // Emitter A at (100,100): frames 0,1,3 (gap of 1), then 6 (gap of 2: a new group with g = 1).
  // Emitter B at (130,100) in frames 1,2: 30 nm from A, beyond the 20 nm radius.
  // A row at frame 2 near A is 25 nm from A's last position: not linked.
  const t = locTableFromColumns({
    frame: Uint32Array.from([3, 0, 1, 6, 1, 2, 2]),
    x: Float64Array.from([104, 100, 102, 100, 130, 131, 100]),
    y: Float64Array.from([100, 100, 100, 100, 100, 100, 125]),
    photons: Float32Array.from([100, 200, 300, 400, 500, 600, 700]),
    precision: Float32Array.from([10, 10, 5, 10, 10, 10, 10]),
    bg: Float32Array.from([1, 2, 3, 4, 5, 6, 7]),
  });
  const { table: m, links } = mergeBlinks(t, { radiusNm: 20, maxGapFrames: 1 });
  expect(links.groups).toBe(4);
  expect(m.length).toBe(4);
  // Groups in order of first appearance: A (frame 0), B (frame 1), the stray (frame 2), A again (6).
  expect([...m.columns.frame]).toEqual([0, 1, 2, 6]);
  expect([...m.columns.frame_last]).toEqual([3, 2, 2, 6]);
  expect([...m.columns.n_merged]).toEqual([3, 2, 1, 1]);
  expect([...m.columns.photons]).toEqual([600, 1100, 700, 400]);
  // Inverse-variance mean of 100 (σ 10), 102 (σ 5), 104 (σ 10): weights 1, 4, 1.
  expect(m.columns.x[0]).toBeCloseTo((100 + 4 * 102 + 104) / 6, 10);
  expect(m.columns.precision[0]).toBeCloseTo(1 / Math.sqrt(1 / 100 + 1 / 25 + 1 / 100), 5);
  expect(m.columns.bg[0]).toBeCloseTo((2 + 4 * 3 + 1) / 6, 5);
  // Photon weighting on request.
  const p = mergeBlinks(t, { radiusNm: 20, maxGapFrames: 1, weighting: 'photons' }).table;
  expect(p.columns.x[0]).toBeCloseTo((200 * 100 + 300 * 102 + 100 * 104) / 600, 10);
  // With g = 2 the frame-6 row joins A.
  expect(mergeBlinks(t, { radiusNm: 20, maxGapFrames: 2 }).table.length).toBe(3);
  // Re-merging sums n_merged instead of counting rows.
  const again = mergeBlinks(m, { radiusNm: 20, maxGapFrames: 5 }).table;
  expect([...again.columns.n_merged].reduce((a, b) => a + b)).toBe(7);
});

test('two emitters in the same frame never share a group', () => {
  const { group } = linkBlinks(
    Uint32Array.from([0, 0, 1, 1]),
    Float64Array.from([0, 5, 1, 6]),
    Float64Array.from([0, 0, 0, 0]),
    4,
    { radiusNm: 50, maxGapFrames: 0 },
  );
  expect(group[0]).not.toBe(group[1]);
  expect(new Set(group).size).toBe(2);
  expect(group[2]).toBe(group[0]);
  expect(group[3]).toBe(group[1]);
});

test('merging recovers the number of molecules within 5% at low density', () => {
  const sim = simulateStructures({
    seed: 5,
    fovNm: 10_000,
    molecules: 3000,
    frames: 20_000,
    locsPerMolecule: 6,
    precisionNm: 10,
    timing: 'bursts',
    gapProbability: 0.15,
    layout: 'uniform',
  });
  const { table, links } = mergeBlinks(sim.table, { radiusNm: 50, maxGapFrames: 2 });
  const ratio = table.length / 3000;
  console.log(`merge: ${sim.table.length} → ${table.length} (ratio ${ratio.toFixed(3)})`);
  expect(Math.abs(ratio - 1)).toBeLessThan(0.05);
  // Purity: nearly every group holds a single molecule.
  const owner = new Int32Array(links.groups).fill(-1);
  let impure = 0;
  for (let i = 0; i < sim.table.length; i++) {
    const g = links.group[i];
    if (owner[g] < 0) owner[g] = sim.molecule[i];
    else if (owner[g] !== sim.molecule[i]) impure++;
  }
  expect(impure / sim.table.length).toBeLessThan(0.01);
  // Merged positions are better than single localizations: error ≈ σ/√n.
  let e2 = 0;
  let expected = 0;
  for (let g = 0; g < table.length; g++) {
    const m = owner[g];
    const row = sim.molecule.indexOf(m);
    e2 += (table.columns.x[g] - sim.trueX[row]) ** 2;
    expected += 100 / table.columns.n_merged[g];
  }
  expect(Math.sqrt(e2 / table.length)).toBeLessThan(1.15 * Math.sqrt(expected / table.length));
});

test('a stray localization listed first cannot steal a track from a closer one', () => {
  // Frame 1: the stray (60 nm away) comes before the true continuation (2 nm away).
  const { group } = linkBlinks(
    Uint32Array.from([0, 1, 1]),
    Float64Array.from([0, 60, 2]),
    Float64Array.from([0, 0, 0]),
    3,
    { radiusNm: 100, maxGapFrames: 0 },
  );
  expect(group[2]).toBe(group[0]);
  expect(group[1]).not.toBe(group[0]);
});
