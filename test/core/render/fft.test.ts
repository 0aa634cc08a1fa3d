import { expect, test } from 'vitest';
import { Rng } from '../../../src/core/random';
import {
  fft1d,
  fft2d,
  inverseFft2dNearZero,
  nextPowerOfTwo,
  splitTwoRealSpectra,
} from '../../../src/core/render/fft';

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

test('two real spectra from one complex FFT equal the separate transforms', () => {
  const w = 16;
  const h = 8;
  const r = new Rng(4);
  const a = new Float64Array(w * h).map(() => r.uniform());
  const b = new Float64Array(w * h).map(() => r.uniform());
  const fa = { re: a.slice(), im: new Float64Array(w * h) };
  const fb = { re: b.slice(), im: new Float64Array(w * h) };
  fft2d(fa.re, fa.im, w, h);
  fft2d(fb.re, fb.im, w, h);
  const zr = a.slice();
  const zi = b.slice();
  fft2d(zr, zi, w, h);
  const out = [0, 0, 0, 0].map(() => new Float64Array(w * h));
  splitTwoRealSpectra(zr, zi, w, h, out[0], out[1], out[2], out[3]);
  for (let k = 0; k < w * h; k++) {
    expect(out[0][k]).toBeCloseTo(fa.re[k], 10);
    expect(out[1][k]).toBeCloseTo(fa.im[k], 10);
    expect(out[2][k]).toBeCloseTo(fb.re[k], 10);
    expect(out[3][k]).toBeCloseTo(fb.im[k], 10);
  }
});

test('inverse FFT near zero shift matches the full inverse in the kept columns', () => {
  const n = 32;
  const r = new Rng(5);
  const re = new Float64Array(n * n).map(() => r.normal());
  const im = new Float64Array(n * n).map(() => r.normal());
  const full = { re: re.slice(), im: im.slice() };
  fft2d(full.re, full.im, n, n, true);
  inverseFft2dNearZero(re, im, n, n, 3);
  for (let y = 0; y < n; y++)
    for (const x of [0, 1, 2, 3, n - 3, n - 2, n - 1]) {
      expect(re[y * n + x]).toBeCloseTo(full.re[y * n + x], 12);
      expect(im[y * n + x]).toBeCloseTo(full.im[y * n + x], 12);
    }
  // A column outside the window is not transformed.
  expect(Math.abs(re[5] - full.re[5])).toBeGreaterThan(1e-6);
});
