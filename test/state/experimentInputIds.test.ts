import { describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../../src/core/experiment/model';
import { inputsForPaths } from '../../src/state/experimentStore';

describe('inputsForPaths', () => {
  it('gives added paths ids unique within the experiment, after making them unique among themselves', () => {
    const existing: ExperimentInput[] = [{ id: 'c1-2', path: 'old/c1.tif', cell: 'A', condition: 'EV' }];
    const paths = ['a/c1.tif', 'b/c1.tif', 'old/c1.tif', 'b\\d.tif'];
    const r = inputsForPaths(existing, paths, '{condition}/{cell}.tif');
    // Among themselves: c1, c1-2; then c1-2 is taken by the experiment → c1-2-2.
    expect(r.inputs.map((x) => [x.id, x.path, x.condition, x.cell])).toEqual([
      ['c1', 'a/c1.tif', 'a', 'a/c1'],
      ['c1-2-2', 'b/c1.tif', 'b', 'b/c1'],
      ['d', 'b/d.tif', 'b', 'b/d'],
    ]);
    expect(r.duplicates).toEqual(['old/c1.tif']);
    expect(r.unmatched).toEqual([]);
  });
});
