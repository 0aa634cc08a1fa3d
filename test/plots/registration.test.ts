import { describe, expect, test } from 'vitest';
import { registrationResidualFigure, residualMagnification } from '../../src/plots/registration';

describe('registration residual plot', () => {
  const d = {
    refX: [1000, 5000, 9000],
    refY: [2000, 6000, 3000],
    residualX: [4, -3, 0],
    residualY: [0, 4, -5],
    outlierRefX: [7000],
    outlierRefY: [7000],
  };

  test('one segment per bead from its position along the magnified residual, in µm, y down', () => {
    const f = registrationResidualFigure(d, 'dark', { widthNm: 10_000, heightNm: 8000, magnification: 100 });
    const seg = f.data[0] as { x: (number | null)[]; y: (number | null)[]; name: string };
    expect(seg.name).toBe('residual ×100');
    expect(seg.x).toEqual([1, 1.4, null, 5, 4.7, null, 9, 9, null]);
    expect(seg.y).toEqual([2, 2, null, 6, 6.4, null, 3, 2.5, null]);
    const beads = f.data[1] as { x: number[]; y: number[] };
    expect(beads.x).toEqual([1, 5, 9]);
    const out = f.data[2] as { x: number[]; name: string };
    expect(out.name).toMatch(/outlier/);
    expect(out.x).toEqual([7]);
    expect(f.layout.xaxis?.range).toEqual([0, 10]);
    // Camera orientation: the y axis runs from the bottom edge (8 µm) up to 0.
    expect(f.layout.yaxis?.range).toEqual([8, 0]);
    expect(f.layout.yaxis?.scaleanchor).toBe('x');
  });

  test('the automatic magnification is a round number making the median arrow the target length', () => {
    // Median residual 5 nm; target 400 nm → ×80 → rounded down to ×50.
    expect(residualMagnification(d.residualX, d.residualY, 400)).toBe(50);
    expect(residualMagnification([0.2], [0], 400)).toBe(2000);
    expect(residualMagnification([], [], 400)).toBe(1);
    const f = registrationResidualFigure({ ...d, outlierRefX: [], outlierRefY: [] }, 'light');
    expect(f.data).toHaveLength(2);
    // Extent from the beads: 9 µm wide → 360 nm target → 5 nm median → ×50.
    expect((f.data[0] as { name: string }).name).toBe('residual ×50');
  });
});
