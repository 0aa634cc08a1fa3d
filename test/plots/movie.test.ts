import { describe, expect, test } from 'vitest';
import { structuresOverTimeFigure } from '../../src/plots/movie';

describe('structuresOverTimeFigure', () => {
  const d = { timeS: [2.5, 2.53, 2.56], count: [2, 0, 1], meanDiameterNm: [150, 0, 300] };
  test('plots count and mean diameter per movie frame against the window centre, with a gap where there are none', () => {
    const f = structuresOverTimeFigure(d, 'dark', 2.53);
    const [count, size] = f.data as {
      x: number[];
      y: (number | null)[];
      yaxis?: string;
      customdata: number[];
    }[];
    expect(count.x).toEqual([2.5, 2.53, 2.56]);
    expect(count.y).toEqual([2, 0, 1]);
    expect(size.y).toEqual([150, null, 300]);
    expect(size.yaxis).toBe('y2');
    expect(count.customdata).toEqual([0, 1, 2]);
    expect(f.layout.yaxis2?.overlaying).toBe('y');
    expect(f.layout.shapes?.[0]).toMatchObject({ x0: 2.53, x1: 2.53 });
    expect(f.layout.paper_bgcolor).toBe('#1a1f26');
  });
  test('no current-time marker without a time; mismatched series are refused', () => {
    expect(structuresOverTimeFigure(d, 'light').layout.shapes).toEqual([]);
    expect(() => structuresOverTimeFigure({ ...d, count: [1] }, 'dark')).toThrow(/one entry per movie frame/);
  });
});
