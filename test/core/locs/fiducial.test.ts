import { expect, test } from 'vitest';
import { fiducialDrift } from '../../../src/core/locs/fiducialDrift';
import { concatLocTables, locTableFromColumns } from '../../../src/core/locs/table';
import { Rng } from '../../../src/core/random';
import { simulateStructures } from './simulate';

const F = 10_000;
const drift = (f: number): [number, number] => {
  const t = f / F;
  return [
    120 * Math.sin(2 * Math.PI * 0.75 * t) + 40 * t,
    150 * t * t - 60 * Math.sin(2 * Math.PI * 1.3 * t),
  ];
};
const beads = [
  [1200, 1300],
  [3700, 900],
  [2500, 4100],
  [4300, 3600],
];

function data() {
  const sim = simulateStructures({
    seed: 21,
    fovNm: 5000,
    molecules: 2000,
    frames: F,
    locsPerMolecule: 20,
    precisionNm: 10,
    drift,
  });
  const r = new Rng(99);
  const frame: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  for (const [bx, by] of beads)
    for (let f = 0; f < F; f++) {
      if (r.uniform() < 0.03) continue; // the bead is missed in 3% of frames
      const [dx, dy] = drift(f);
      frame.push(f);
      x.push(bx + dx + 3 * r.normal());
      y.push(by + dy + 3 * r.normal());
    }
  const fid = locTableFromColumns({
    frame: Uint32Array.from(frame),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    photons: new Float32Array(frame.length).fill(20_000),
    precision: new Float32Array(frame.length).fill(3),
  });
  return concatLocTables([sim.table, fid]);
}

function rmsError(dx: Float64Array, dy: Float64Array) {
  let ss = 0;
  for (let f = 0; f < F; f++) {
    const [tx, ty] = drift(f);
    ss += (dx[f] - tx) ** 2 + (dy[f] - ty) ** 2;
  }
  return Math.sqrt(ss / F);
}

test('fiducial drift: auto-detected beads give the drift to < 5 nm RMS', () => {
  const table = data();
  const res = fiducialDrift(table);
  expect(res.tracks.length).toBe(4);
  const rms = rmsError(res.trace.dx, res.trace.dy);
  console.log(`fiducial (auto): RMS ${rms.toFixed(2)} nm`);
  expect(rms).toBeLessThan(5);
});

test('fiducial drift from picked regions agrees; a region without a bead is an error', () => {
  const table = data();
  const regions = beads.slice(0, 2).map(([bx, by]) => ({
    kind: 'rect' as const,
    x0: bx - 300,
    y0: by - 300,
    x1: bx + 300,
    y1: by + 300,
  }));
  const res = fiducialDrift(table, { regions });
  expect(res.tracks.length).toBe(2);
  expect(rmsError(res.trace.dx, res.trace.dy)).toBeLessThan(5);
  expect(() =>
    fiducialDrift(table, { regions: [{ kind: 'rect', x0: 100, y0: 100, x1: 300, y1: 300 }] }),
  ).toThrow(/region 1 holds no fiducial/);
});
