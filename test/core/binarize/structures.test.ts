import { describe, expect, test } from 'vitest';
import {
  type Connectivity,
  labelComponents2D,
  labelComponents3D,
  StructureLabeller,
} from '../../../src/core/binarize/structures';
import { Rng } from '../../../src/core/random';

function neighbourOffsets(c: Connectivity): [number, number, number][] {
  const out: [number, number, number][] = [];
  const threeD = c === 6 || c === 26;
  for (let dt = threeD ? -1 : 0; dt <= (threeD ? 1 : 0); dt++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const manhattan = Math.abs(dx) + Math.abs(dy) + Math.abs(dt);
        if (manhattan === 0) continue;
        if ((c === 4 || c === 6) && manhattan > 1) continue;
        out.push([dx, dy, dt]);
      }
  return out;
}

// Reference: breadth-first flood fill over the whole volume.
function floodFill(vol: Uint8Array, w: number, h: number, d: number, c: Connectivity): Int32Array {
  const labels = new Int32Array(vol.length);
  const offsets = neighbourOffsets(c);
  let next = 0;
  const queue = new Int32Array(vol.length);
  for (let s = 0; s < vol.length; s++) {
    if (!vol[s] || labels[s]) continue;
    labels[s] = ++next;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const p = queue[head++];
      const t = Math.floor(p / (w * h));
      const y = Math.floor((p % (w * h)) / w);
      const x = p % w;
      for (const [dx, dy, dt] of offsets) {
        const [nx, ny, nt] = [x + dx, y + dy, t + dt];
        if (nx < 0 || ny < 0 || nt < 0 || nx >= w || ny >= h || nt >= d) continue;
        const q = nt * w * h + ny * w + nx;
        if (vol[q] && !labels[q]) {
          labels[q] = next;
          queue[tail++] = q;
        }
      }
    }
  }
  return labels;
}

// Same partition: a bijection between the two labelings over the foreground.
function expectSamePartition(a: ArrayLike<number>, b: ArrayLike<number>) {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    expect(a[i] === 0).toBe(b[i] === 0);
    if (!a[i]) continue;
    if (!ab.has(a[i])) ab.set(a[i], b[i]);
    if (!ba.has(b[i])) ba.set(b[i], a[i]);
    if (ab.get(a[i]) !== b[i] || ba.get(b[i]) !== a[i]) throw new Error(`partitions differ at ${i}`);
  }
}

function randomVolume(seed: number, n: number, density: number): Uint8Array {
  const r = new Rng(seed);
  return Uint8Array.from({ length: n }, () => (r.uniform() < density ? 1 : 0));
}

describe('connected structures', () => {
  test.each([4, 8] as const)('%i-connected 2-D labels equal a flood fill on random masks', (c) => {
    for (let seed = 0; seed < 12; seed++) {
      const [w, h] = [17 + seed, 13 + 2 * seed];
      const mask = randomVolume(seed, w * h, 0.3 + 0.03 * seed);
      const { labels, count } = labelComponents2D(mask, w, h, c);
      const ref = floodFill(mask, w, h, 1, c);
      expectSamePartition(labels, ref);
      expect(count).toBe(Math.max(0, ...ref));
    }
  });

  test.each([6, 26] as const)('%i-connected 3-D labels equal a flood fill on random volumes', (c) => {
    for (let seed = 0; seed < 8; seed++) {
      const [w, h, d] = [11 + seed, 9 + seed, 6 + seed];
      const vol = randomVolume(100 + seed, w * h * d, c === 26 ? 0.05 + 0.03 * seed : 0.2 + 0.03 * seed);
      const { labels, count } = labelComponents3D(vol, w, h, d, c);
      const ref = floodFill(vol, w, h, d, c);
      expectSamePartition(labels, ref);
      expect(count).toBe(Math.max(0, ...ref));
    }
  });

  test.each([
    [4, 0],
    [8, 0],
    [26, 0],
    [26, 1],
  ] as const)(
    '%i-connected on sparse masks with word-aligned rows (offset %i) equal a flood fill',
    (c, offset) => {
      // Widths divisible by 4: background is skipped a word at a time; runs cross word borders.
      for (let seed = 0; seed < 6; seed++) {
        const [w, h, d] = [32 + 4 * seed, 9 + seed, c === 26 ? 5 : 1];
        const r = new Rng(500 + seed);
        const buffer = new Uint8Array(w * h * d + offset);
        const vol = buffer.subarray(offset);
        // Short horizontal streaks of 1–9 pixels, a few percent of the volume.
        for (let k = 0; k < (w * h * d) / 40; k++) {
          const start = Math.floor(r.uniform() * vol.length);
          const len = 1 + Math.floor(r.uniform() * 9);
          vol.fill(k % 5 === 0 ? 255 : 1, start, Math.min(start + len, vol.length));
        }
        const { labels, count } =
          c === 26 ? labelComponents3D(vol, w, h, d, c) : labelComponents2D(vol, w, h, c);
        const ref = floodFill(vol, w, h, d, c);
        expectSamePartition(labels, ref);
        expect(count).toBe(Math.max(0, ...ref));
        expect(count).toBeGreaterThan(3);
      }
    },
  );

  test('structures that merge later share one label from their first frame', () => {
    // Two bars in frame 0 joined by a bridge in frame 1 are one 3-D structure.
    const [w, h] = [7, 3];
    const f0 = Uint8Array.from([1, 1, 0, 0, 0, 1, 1, ...Array(14).fill(0)]);
    const f1 = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, ...Array(14).fill(0)]);
    const l = new StructureLabeller(w, h, 26);
    l.addFrame(f0);
    l.addFrame(f1);
    const r = l.finish();
    expect(r.count).toBe(1);
    expect([...r.labelFrame(0).subarray(0, 7)]).toEqual([1, 1, 0, 0, 0, 1, 1]);
    const perFrame = new StructureLabeller(w, h, 8);
    perFrame.addFrame(f0);
    perFrame.addFrame(f1);
    expect(perFrame.finish().count).toBe(3);
  });

  test('measures area, centroid, equivalent diameter, bounding box and frame span', () => {
    const [w, h] = [40, 30];
    const grid = { x0Nm: 500, y0Nm: 1000, pixelNm: 10 };
    const l = new StructureLabeller(w, h, 26, grid);
    // A 6×4 rectangle at (5, 7) in frames 0–2, and a plus sign appearing in frame 2 only.
    const rect = (m: Uint8Array) => {
      for (let y = 7; y < 11; y++) for (let x = 5; x < 11; x++) m[y * w + x] = 1;
    };
    for (let t = 0; t < 4; t++) {
      const m = new Uint8Array(w * h);
      if (t < 3) rect(m);
      if (t === 2)
        for (const [x, y] of [
          [30, 20],
          [29, 20],
          [31, 20],
          [30, 19],
          [30, 21],
        ])
          m[y * w + x] = 1;
      l.addFrame(m);
    }
    const r = l.finish();
    expect(r.count).toBe(2);
    const o = r.observations.columns;
    expect(r.observations.length).toBe(4);
    expect([...o.frame]).toEqual([0, 1, 2, 2]);
    expect([...o.structure]).toEqual([1, 1, 1, 2]);
    expect(o.areaPx[0]).toBe(24);
    expect(o.areaNm2[0]).toBe(2400);
    expect(o.xNm[0]).toBeCloseTo(500 + 8 * 10, 9);
    expect(o.yNm[0]).toBeCloseTo(1000 + 9 * 10, 9);
    expect(o.diameterNm[0]).toBeCloseTo(2 * Math.sqrt(2400 / Math.PI), 9);
    expect([o.bboxX0[0], o.bboxY0[0], o.bboxX1[0], o.bboxY1[0]]).toEqual([5, 7, 11, 11]);
    expect([o.bboxX0[3], o.bboxY0[3], o.bboxX1[3], o.bboxY1[3]]).toEqual([29, 19, 32, 22]);
    expect(o.xNm[3]).toBeCloseTo(500 + 30.5 * 10, 9);
    const s = r.structures.columns;
    expect([...s.firstFrame]).toEqual([0, 2]);
    expect([...s.lastFrame]).toEqual([2, 2]);
    expect([...s.frames]).toEqual([3, 1]);
    expect([...s.volumePx]).toEqual([72, 5]);
    expect([...r.perFrame.count]).toEqual([1, 1, 2, 0]);
    expect([...r.perFrame.areaPx]).toEqual([24, 24, 29, 0]);
    expect(r.perFrame.meanAreaNm2[2]).toBeCloseTo((2400 + 500) / 2, 9);
  });

  test('rejects masks of the wrong size and unknown connectivity', () => {
    const l = new StructureLabeller(4, 4, 8);
    expect(() => l.addFrame(new Uint8Array(15))).toThrow(RangeError);
    expect(() => new StructureLabeller(4, 4, 5 as Connectivity)).toThrow(RangeError);
  });
});

describe('a movie labelled in parts (one per worker), joined in order', () => {
  // A movie-like volume: blobs that drift, so structures cross every cut between parts.
  function drifting(seed: number, w: number, h: number, d: number): Uint8Array {
    const r = new Rng(seed);
    const vol = new Uint8Array(w * h * d);
    const blobs = Array.from({ length: 6 }, () => ({
      x: r.uniform() * w,
      y: r.uniform() * h,
      r: 1 + 3 * r.uniform(),
    }));
    for (let t = 0; t < d; t++) {
      for (const b of blobs) {
        b.x += r.normal();
        b.y += r.normal();
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++)
            if ((x + 0.5 - b.x) ** 2 + (y + 0.5 - b.y) ** 2 <= b.r * b.r) vol[t * w * h + y * w + x] = 1;
      }
      for (let k = 0; k < 4; k++) vol[t * w * h + Math.floor(r.uniform() * w * h)] = 1;
    }
    return vol;
  }

  test.each([26, 6, 8, 4] as const)(
    '%i-connected: parts joined in order give the one-pass labels and tables',
    (c) => {
      const [w, h, d] = [36, 28, 30];
      const vol = drifting(c, w, h, d);
      const n = w * h;
      const frame = (t: number) => vol.subarray(t * n, (t + 1) * n);
      const grid = { x0Nm: 5, y0Nm: -3, pixelNm: 10 };
      const whole = new StructureLabeller(w, h, c, grid);
      for (let t = 0; t < d; t++) whole.addFrame(frame(t));
      const want = whole.finish();
      expect(want.count).toBeGreaterThan(3);
      // Cuts anywhere, including parts of one frame.
      for (const cuts of [[15], [1, 2, 29], [7, 16, 23]]) {
        const bounds = [0, ...cuts, d];
        const parts = bounds.slice(1, -1).map((start, i) => {
          const l = new StructureLabeller(w, h, c, grid);
          for (let t = start; t < bounds[i + 2]; t++) l.addFrame(frame(t));
          return l.part();
        });
        const first = new StructureLabeller(w, h, c, grid);
        for (let t = 0; t < bounds[1]; t++) first.addFrame(frame(t));
        for (const p of parts) first.absorb(p);
        const got = first.finish();
        expect(got.count).toBe(want.count);
        expect(got.observations).toEqual(want.observations);
        expect(got.structures).toEqual(want.structures);
        for (let t = 0; t < d; t++) expect(got.labelFrame(t)).toEqual(want.labelFrame(t));
      }
    },
  );

  test('frames added after a part continue the labels; a part of another size is refused', () => {
    const [w, h, d] = [20, 16, 12];
    const vol = drifting(9, w, h, d);
    const n = w * h;
    const frame = (t: number) => vol.subarray(t * n, (t + 1) * n);
    const whole = new StructureLabeller(w, h, 26);
    for (let t = 0; t < d; t++) whole.addFrame(frame(t));
    const want = whole.finish();
    const a = new StructureLabeller(w, h, 26);
    for (let t = 0; t < 4; t++) a.addFrame(frame(t));
    const b = new StructureLabeller(w, h, 26);
    for (let t = 4; t < 8; t++) b.addFrame(frame(t));
    a.absorb(b.part());
    for (let t = 8; t < d; t++) a.addFrame(frame(t));
    const got = a.finish();
    expect(got.count).toBe(want.count);
    for (let t = 0; t < d; t++) expect(got.labelFrame(t)).toEqual(want.labelFrame(t));
    expect(() => new StructureLabeller(w, h, 8).absorb(b.part())).toThrow(/connectivity/);
    expect(() => new StructureLabeller(w + 1, h, 26).absorb(b.part())).toThrow(/size/);
  });
});
