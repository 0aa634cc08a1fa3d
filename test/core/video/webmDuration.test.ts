import { describe, expect, test } from 'vitest';
import { withWebmDuration } from '../../../src/core/video/webmDuration';
import { readWebm } from '../../helpers/webm';

const u8 = (...a: number[]) => Uint8Array.from(a);
const cat = (...p: Uint8Array[]) => {
  const out = new Uint8Array(p.reduce((a, b) => a + b.length, 0));
  let o = 0;
  for (const x of p) {
    out.set(x, o);
    o += x.length;
  }
  return out;
};
// EBML header (DocType "webm"), an Info with TimecodeScale 1 ms, and a Cluster of 3 blocks 100 ms apart.
const header = cat(u8(0x1a, 0x45, 0xdf, 0xa3, 0x87), u8(0x42, 0x82, 0x84), new TextEncoder().encode('webm'));
const info = u8(0x15, 0x49, 0xa9, 0x66, 0x87, 0x2a, 0xd7, 0xb1, 0x83, 0x0f, 0x42, 0x40);
const block = (t: number) => u8(0xa3, 0x85, 0x81, t >> 8, t & 0xff, 0x80, 0x00);
const cluster = cat(
  u8(0x1f, 0x43, 0xb6, 0x75, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
  u8(0xe7, 0x81, 0x00),
  block(0),
  block(100),
  block(200),
);
const unknownSegment = cat(
  header,
  u8(0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
  info,
  cluster,
);

describe('WebM duration', () => {
  test('inserts Info ▸ Duration into a live recording and keeps its blocks', () => {
    expect(readWebm(unknownSegment).infoDurationMs).toBeNull();
    const fixed = withWebmDuration(unknownSegment, 300);
    const r = readWebm(fixed);
    expect(r.infoDurationMs).toBeCloseTo(300, 6);
    expect(r.blocks).toBe(3);
    expect(r.lastMs).toBe(200);
    // A second pass leaves it alone.
    expect(withWebmDuration(fixed, 999)).toBe(fixed);
  });

  test('a known-size Segment grows by the inserted bytes', () => {
    const body = cat(info, cluster.subarray(0, 0), u8(0xec, 0x81, 0x00));
    const seg = cat(header, u8(0x18, 0x53, 0x80, 0x67, 0x80 | body.length), body);
    const fixed = withWebmDuration(seg, 1234.5);
    expect(readWebm(fixed).infoDurationMs).toBeCloseTo(1234.5, 6);
    expect(fixed.length).toBe(seg.length + 11 + 7 + 7);
  });

  test('refuses what is not WebM', () => {
    expect(() => withWebmDuration(u8(1, 2, 3, 4), 1)).toThrow(/not a WebM/);
  });
});
