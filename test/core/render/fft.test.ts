import { expect, test } from 'vitest';
import { Rng } from '../../../src/core/random';
import { fft1d, fft2d, nextPowerOfTwo } from '../../../src/core/render/fft';

function naiveDft2d(re: Float64Array, im: Float64Array, w: number, h: number) {
  const outRe = new Float64Array(w * h);
  const outIm = new Float64Array(w * h);
  for (let v = 0; v < h; v++)
    for (let u = 0; u < w; u++) {
      let sr = 0;
      let si = 0;
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const a = -2 * Math.PI * ((u * x) / w + (v * y) / h);
          const c = Math.cos(a);
          const s = Math.sin(a);
          sr += re[y * w + x] * c - im[y * w + x] * s;
          si += re[y * w + x] * s + im[y * w + x] * c;
        }
      outRe[v * w + u] = sr;
      outIm[v * w + u] = si;
    }
  return { outRe, outIm };
}

test('2-D FFT matches a naive DFT on a non-square complex image', () => {
  const w = 16;
  const h = 8;
  const r = new Rng(3);
  const re = new Float64Array(w * h).map(() => r.normal());
  const im = new Float64Array(w * h).map(() => r.normal());
  const { outRe, outIm } = naiveDft2d(re, im, w, h);
  const fr = re.slice();
  const fi = im.slice();
  fft2d(fr, fi, w, h);
  for (let i = 0; i < w * h; i++) {
    expect(fr[i]).toBeCloseTo(outRe[i], 9);
    expect(fi[i]).toBeCloseTo(outIm[i], 9);
  }
  fft2d(fr, fi, w, h, true);
  for (let i = 0; i < w * h; i++) {
    expect(fr[i]).toBeCloseTo(re[i], 12);
    expect(fi[i]).toBeCloseTo(im[i], 12);
  }
});

test('1-D FFT of a shifted delta is a pure phase ramp; offsets address a sub-range', () => {
  const n = 32;
  const re = new Float64Array(n + 5);
  const im = new Float64Array(n + 5);
  re[5 + 3] = 1;
  fft1d(re, im, false, 5, n);
  for (let k = 0; k < n; k++) {
    expect(re[5 + k]).toBeCloseTo(Math.cos((-2 * Math.PI * 3 * k) / n), 12);
    expect(im[5 + k]).toBeCloseTo(Math.sin((-2 * Math.PI * 3 * k) / n), 12);
  }
  expect(() => fft1d(new Float64Array(12), new Float64Array(12))).toThrow(/power of two/);
  expect(nextPowerOfTwo(513)).toBe(1024);
  expect(nextPowerOfTwo(512)).toBe(512);
});
