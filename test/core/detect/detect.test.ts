import { describe, expect, test } from 'vitest';
import { atrousKernel, bSplineKernel } from '../../../src/core/detect/bspline';
import { convolveRows, type SparseKernel, sparseKernel } from '../../../src/core/detect/convolve';
import { DogFilter, WaveletFilter } from '../../../src/core/detect/filters';
import { Candidates, findLocalMaxima, suppressClose } from '../../../src/core/detect/maxima';
import { Rng } from '../../../src/core/random';
import { expectedImage, gridSpots, poissonImage, type Spot } from '../../helpers/spotImage';

describe('B-spline kernels', () => {
  test("order 3, scale 2 is Izeddin's [1/16, 1/4, 3/8, 1/4, 1/16]; level 2 has holes", () => {
    const k = bSplineKernel(3, 2, 5);
    for (const [i, v] of [1 / 16, 1 / 4, 3 / 8, 1 / 4, 1 / 16].entries()) expect(k[i]).toBeCloseTo(v, 12);
    expect([...atrousKernel(k, 2)].map((v) => v * 16)).toEqual([1, 0, 4, 0, 6, 0, 4, 0, 1]);
  });
});

/** ThunderSTORM's compound wavelet filter written out naively: duplicate-pad by 4, full 2-D zero-padded convolutions. */
function referenceWavelet(img: Float32Array, w: number, h: number) {
  const m = 4;
  const pw = w + 2 * m;
  const ph = h + 2 * m;
  const p = new Float64Array(pw * ph);
  for (let y = 0; y < ph; y++)
    for (let x = 0; x < pw; x++) {
      const sx = Math.min(w - 1, Math.max(0, x - m));
      const sy = Math.min(h - 1, Math.max(0, y - m));
      p[y * pw + x] = img[sy * w + sx];
    }
  const k1 = [1 / 16, 1 / 4, 3 / 8, 1 / 4, 1 / 16];
  const conv2 = (src: Float64Array, step: number) => {
    const out = new Float64Array(pw * ph);
    for (let y = 0; y < ph; y++)
      for (let x = 0; x < pw; x++) {
        let s = 0;
        for (let j = -2; j <= 2; j++)
          for (let i = -2; i <= 2; i++) {
            const xx = x + i * step;
            const yy = y + j * step;
            if (xx >= 0 && xx < pw && yy >= 0 && yy < ph) s += k1[i + 2] * k1[j + 2] * src[yy * pw + xx];
          }
        out[y * pw + x] = s;
      }
    return out;
  };
  const v1 = conv2(p, 1);
  const v2 = conv2(v1, 2);
  const f = new Float64Array(w * h);
  const f1 = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const q = (y + m) * pw + x + m;
      f[y * w + x] = v1[q] - v2[q];
      f1[y * w + x] = img[y * w + x] - v1[q];
    }
  const mean = f1.reduce((a, b) => a + b, 0) / f1.length;
  const std = Math.sqrt(f1.reduce((a, b) => a + (b - mean) ** 2, 0) / (f1.length - 1));
  return { f, std };
}

describe('wavelet filter', () => {
  test('WebAssembly SIMD is available here (else the JavaScript path is all that runs)', () => {
    expect(new WaveletFilter(8, 8).simd).toBe(true);
    expect(new WaveletFilter(8, 8, undefined, 'js').simd).toBe(false);
  });

  for (const implementation of ['auto', 'js'] as const) {
    for (const [w, h] of [
      [13, 9],
      [7, 7],
      [30, 17],
      [2, 5],
      [64, 48],
    ]) {
      test(`${implementation === 'auto' ? 'SIMD' : 'JavaScript'}: matches the hand computation on ${w}×${h}, borders included`, () => {
        const rng = new Rng(w * 100 + h);
        // Non-integer values: the paths round differently (float32 vs float64 arithmetic).
        const img = Float32Array.from(
          { length: w * h },
          () => rng.poisson(20) + rng.uniform() + (rng.uniform() < 0.1 ? 200 : 0),
        );
        const wf = new WaveletFilter(w, h, undefined, implementation);
        const std = wf.apply(img);
        const ref = referenceWavelet(img, w, h);
        for (let i = 0; i < w * h; i++) expect(wf.filtered[i]).toBeCloseTo(ref.f[i], 3);
        expect(std).toBeCloseTo(ref.std, 4);
        // Filtering in place (the localizer writes photons into `input`) gives the same.
        const before = Float32Array.from(wf.filtered);
        wf.input.set(img);
        expect(wf.apply(wf.input)).toBe(std);
        expect(wf.filtered).toEqual(before);
      });
    }
  }

  test('SIMD maxima search finds exactly the JavaScript scan’s candidates (odd widths too)', () => {
    for (const [w, h] of [
      [64, 48],
      [37, 23],
    ]) {
      const rng = new Rng(w);
      const img = poissonImage(expectedImage(w, h, gridSpots(w, h, 9, 800, rng), 1.3, 10), rng);
      const a = new WaveletFilter(w, h);
      const b = new WaveletFilter(w, h, undefined, 'js');
      const t = a.apply(img);
      b.apply(img);
      for (const k of [0.5, 1, 2]) {
        const ca = new Candidates();
        const cb = new Candidates();
        a.findMaxima(k * t, ca);
        b.findMaxima(k * t, cb);
        expect(ca.count).toBeGreaterThan(0);
        expect([...ca.x.subarray(0, ca.count)]).toEqual([...cb.x.subarray(0, cb.count)]);
        expect([...ca.y.subarray(0, ca.count)]).toEqual([...cb.y.subarray(0, cb.count)]);
      }
    }
  });

  test('other B-spline settings take the generic path and still match it', () => {
    const rng = new Rng(5);
    const w = 20;
    const h = 12;
    const img = Float32Array.from({ length: w * h }, () => rng.poisson(20));
    const a = new WaveletFilter(w, h, { order: 4, scale: 2, samples: 7 });
    const b = new WaveletFilter(w, h, { order: 4, scale: 2, samples: 7 }, 'js');
    expect(a.simd).toBe(false);
    expect(a.apply(img)).toBe(b.apply(img));
    expect(a.filtered).toEqual(b.filtered);
  });

  test('unrolled row pass equals the sum by definition', () => {
    const rng = new Rng(2);
    const src = Float32Array.from({ length: 20 * 3 }, () => rng.uniform());
    const k = sparseKernel(atrousKernel(bSplineKernel(3, 2, 5), 2));
    expect(k.symmetric5?.step).toBe(2);
    const a = new Float32Array(14 * 3);
    const b = new Float32Array(14 * 3);
    convolveRows(src, 20, 3, 3, a, 14, k);
    convolveRowsByDefinition(src, 20, 3, 3, b, 14, k);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 6);
  });
});

/** The row pass by its definition: dst[y·dw + x] = Σ_t w_t · src[y·sw + x + x0 + o_t], zero outside the source. */
function convolveRowsByDefinition(
  src: Float32Array,
  sw: number,
  rows: number,
  x0: number,
  dst: Float32Array,
  dw: number,
  k: SparseKernel,
): void {
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < dw; x++) {
      let s = 0;
      k.offsets.forEach((o, t) => {
        const xx = x + x0 + o;
        if (xx >= 0 && xx < sw) s += k.weights[t] * src[y * sw + xx];
      });
      dst[y * dw + x] = s;
    }
  }
}

function detect(filter: WaveletFilter | DogFilter, img: Float32Array, w: number, h: number, k = 1) {
  const c = new Candidates(4);
  const noise = filter.apply(img);
  findLocalMaxima(filter.filtered, w, h, k * noise, c);
  suppressClose(c, w, h, 3, new Uint8Array(w * h));
  return c;
}

function matchCount(c: Candidates, spots: Spot[]): { hits: number; duplicates: number } {
  const found = new Array(spots.length).fill(0);
  for (let i = 0; i < c.count; i++) {
    for (let s = 0; s < spots.length; s++) {
      if (Math.hypot(c.x[i] + 0.5 - spots[s].x, c.y[i] + 0.5 - spots[s].y) < 1.5) found[s]++;
    }
  }
  return { hits: found.filter((n) => n > 0).length, duplicates: found.filter((n) => n > 1).length };
}

describe('spot detection', () => {
  const w = 128;
  const h = 96;
  const rng = new Rng(3);
  const spots = gridSpots(w, h, 16, 1000, rng);
  // Spots on the image border too: the detector must not lose them.
  spots.push({ x: 0.6, y: 40.3, photons: 1000 }, { x: 70.2, y: 95.4, photons: 1000 });
  const img = poissonImage(expectedImage(w, h, spots, 1.3, 10), rng);

  test('wavelet + local maxima finds every isolated spot once, with few false positives', () => {
    const c = detect(new WaveletFilter(w, h), img, w, h);
    const m = matchCount(c, spots);
    expect(m.hits).toBe(spots.length);
    expect(m.duplicates).toBe(0);
    expect(c.count - m.hits).toBeLessThanOrEqual(2);
  });

  test('the threshold factor matters: a huge k finds nothing', () => {
    expect(detect(new WaveletFilter(w, h), img, w, h, 50).count).toBe(0);
  });

  test('DoG finds the same spots', () => {
    const c = detect(new DogFilter(w, h, { sigma1Px: 1.3, sigma2Px: 2.1 }), img, w, h, 1.5);
    const m = matchCount(c, spots);
    expect(m.hits).toBe(spots.length);
    expect(m.duplicates).toBe(0);
  });

  test('plateaus give one maximum; close candidates keep the brighter', () => {
    const w2 = 10;
    const f = new Float32Array(w2 * w2);
    f[3 * w2 + 3] = f[3 * w2 + 4] = 5; // a two-pixel plateau
    f[7 * w2 + 7] = 9;
    f[7 * w2 + 5] = 8; // 2 px from a brighter maximum
    const c = new Candidates(1);
    findLocalMaxima(f, w2, w2, 1, c);
    expect(c.count).toBe(3);
    suppressClose(c, w2, w2, 3, new Uint8Array(w2 * w2));
    expect(c.count).toBe(2);
    expect([c.x[0], c.y[0], c.x[1], c.y[1]]).toEqual([7, 7, 3, 3]);
  });
});
