// ImageJ ROIs built byte by byte per RoiDecoder's layout (big-endian header of 64 bytes, then
// coordinates), so the reader is checked against the format, not against itself.
import { describe, expect, it } from 'vitest';
import { decodeRoi, RoiError, rasteriseRois, readRois } from '../../../src/core/calcium';
import { writeZip } from '../../../src/core/io/zip';

interface Spec {
  type: number;
  top: number;
  left: number;
  bottom: number;
  right: number;
  xs?: number[];
  ys?: number[];
  subPixel?: { xs: number[]; ys: number[] };
  name?: string;
  version?: number;
  shapeSize?: number;
}

function roiBytes(s: Spec): Uint8Array {
  const n = s.xs?.length ?? 0;
  const coordBytes = 4 * n + (s.subPixel ? 8 * n : 0);
  const nameBytes = s.name ? 2 * s.name.length : 0;
  const h2 = 64 + coordBytes;
  const size = 64 + coordBytes + (s.name ? 64 + nameBytes : 0);
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  b.set([0x49, 0x6f, 0x75, 0x74]); // "Iout"
  dv.setUint16(4, s.version ?? 228);
  b[6] = s.type;
  dv.setInt16(8, s.top);
  dv.setInt16(10, s.left);
  dv.setInt16(12, s.bottom);
  dv.setInt16(14, s.right);
  dv.setUint16(16, n);
  dv.setInt32(36, s.shapeSize ?? 0);
  dv.setUint16(50, s.subPixel ? 128 : 0);
  for (let i = 0; i < n; i++) {
    dv.setInt16(64 + 2 * i, (s.xs as number[])[i] - s.left);
    dv.setInt16(64 + 2 * n + 2 * i, (s.ys as number[])[i] - s.top);
  }
  if (s.subPixel)
    for (let i = 0; i < n; i++) {
      dv.setFloat32(64 + 4 * n + 4 * i, s.subPixel.xs[i]);
      dv.setFloat32(64 + 8 * n + 4 * i, s.subPixel.ys[i]);
    }
  if (s.name) {
    dv.setInt32(60, h2);
    dv.setInt32(h2 + 16, h2 + 64);
    dv.setInt32(h2 + 20, s.name.length);
    for (let i = 0; i < s.name.length; i++) dv.setUint16(h2 + 64 + 2 * i, s.name.charCodeAt(i));
  }
  return b;
}

const count = (labels: Int32Array, l: number) => labels.reduce((a, v) => a + (v === l ? 1 : 0), 0);

describe('ImageJ .roi decoding', () => {
  it('polygon: integer coordinates relative to the bounds, name from header 2', () => {
    const r = decodeRoi(
      roiBytes({
        type: 0,
        top: 10,
        left: 20,
        bottom: 30,
        right: 40,
        xs: [20, 40, 40, 20],
        ys: [10, 10, 30, 30],
        name: 'cell-α',
      }),
    );
    expect(r.kind).toBe('polygon');
    expect(r.name).toBe('cell-α');
    expect(Array.from(r.x)).toEqual([20, 40, 40, 20]);
    expect(Array.from(r.y)).toEqual([10, 10, 30, 30]);
    const { labels } = rasteriseRois([r], 64, 64);
    expect(count(labels, 1)).toBe(20 * 20);
    expect(labels[10 * 64 + 20]).toBe(1);
    expect(labels[30 * 64 + 40]).toBe(0);
  });

  it('freehand with sub-pixel float coordinates (absolute)', () => {
    const r = decodeRoi(
      roiBytes({
        type: 7,
        top: 5,
        left: 5,
        bottom: 15,
        right: 15,
        xs: [5, 15, 15, 5],
        ys: [5, 5, 15, 15],
        subPixel: { xs: [5.25, 14.75, 14.75, 5.25], ys: [5.5, 5.5, 14.5, 14.5] },
      }),
      'fh.roi',
    );
    expect(r.kind).toBe('freehand');
    expect(r.name).toBe('fh.roi');
    expect(r.x[0]).toBeCloseTo(5.25, 6);
    // Centres x+0.5 in [5.25, 14.75] → x = 5…14 (10 px); y+0.5 in [5.5, 14.5] → y = 5…13 (9 px… 14.5 excluded).
    const { labels } = rasteriseRois([r], 32, 32);
    expect(count(labels, 1)).toBe(10 * 9);
  });

  it('rectangle and oval from their bounds', () => {
    const rect = decodeRoi(roiBytes({ type: 1, top: 2, left: 3, bottom: 12, right: 9 }));
    const oval = decodeRoi(roiBytes({ type: 2, top: 20, left: 20, bottom: 40, right: 40 }));
    const { labels, overlapPx } = rasteriseRois([rect, oval], 64, 64);
    expect(count(labels, 1)).toBe(6 * 10);
    // Pixel centres inside a circle of radius 10: close to π·100.
    expect(Math.abs(count(labels, 2) - Math.PI * 100)).toBeLessThan(10);
    expect(overlapPx).toBe(0);
  });

  it('overlapping ROIs: the first keeps the shared pixels, and they are counted', () => {
    const a = decodeRoi(roiBytes({ type: 1, top: 0, left: 0, bottom: 10, right: 10 }));
    const b = decodeRoi(roiBytes({ type: 1, top: 5, left: 5, bottom: 15, right: 15 }));
    const r = rasteriseRois([a, b], 20, 20);
    expect(r.overlapPx).toBe(25);
    expect(count(r.labels, 1)).toBe(100);
    expect(count(r.labels, 2)).toBe(75);
  });

  it('non-area, composite and damaged ROIs are refused with a reason', () => {
    expect(() => decodeRoi(roiBytes({ type: 3, top: 0, left: 0, bottom: 5, right: 5 }))).toThrow(
      /line ROI has no area/,
    );
    expect(() => decodeRoi(roiBytes({ type: 10, top: 0, left: 0, bottom: 5, right: 5 }))).toThrow(/point/);
    expect(() =>
      decodeRoi(roiBytes({ type: 1, top: 0, left: 0, bottom: 5, right: 5, shapeSize: 40 })),
    ).toThrow(/composite/);
    expect(() => decodeRoi(new Uint8Array(10))).toThrow(RoiError);
    const bad = roiBytes({ type: 0, top: 0, left: 0, bottom: 5, right: 5, xs: [0, 5, 5], ys: [0, 0, 5] });
    bad[0] = 0x41;
    expect(() => decodeRoi(bad)).toThrow(/Iout/);
    const cut = roiBytes({ type: 0, top: 0, left: 0, bottom: 5, right: 5, xs: [0, 5, 5], ys: [0, 0, 5] });
    expect(() => decodeRoi(cut.subarray(0, 70))).toThrow(/truncated/);
  });
});

describe('RoiSet .zip', () => {
  it('reads every .roi in name order, skipping (and naming) the ones without area', () => {
    const zip = writeZip([
      { name: '0002-cell.roi', data: roiBytes({ type: 1, top: 0, left: 0, bottom: 4, right: 4 }), level: 6 },
      { name: '0001-cell.roi', data: roiBytes({ type: 2, top: 10, left: 10, bottom: 20, right: 20 }) },
      { name: 'line.roi', data: roiBytes({ type: 3, top: 0, left: 0, bottom: 4, right: 4 }) },
      { name: 'readme.txt', data: new TextEncoder().encode('not a roi') },
    ]);
    const set = readRois(zip, 'RoiSet.zip');
    expect(set.rois.map((r) => r.name)).toEqual(['0001-cell', '0002-cell']);
    expect(set.rois.map((r) => r.kind)).toEqual(['oval', 'rect']);
    expect(set.skipped).toHaveLength(1);
    expect(set.skipped[0]).toMatch(/line/);
  });

  it('an archive without any area ROI is an error', () => {
    const zip = writeZip([
      { name: 'a.roi', data: roiBytes({ type: 10, top: 0, left: 0, bottom: 4, right: 4 }) },
    ]);
    expect(() => readRois(zip, 'RoiSet.zip')).toThrow(/no usable area ROI/);
  });
});
