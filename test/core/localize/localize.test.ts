import { describe, expect, test } from 'vitest';
import { LocalizeScratch, localizeFrames } from '../../../src/core/localize/localize';
import { resolveLocalizeParams } from '../../../src/core/localize/params';
import { Rng } from '../../../src/core/random';
import { expectedImage, poissonImage, type Spot } from '../../helpers/spotImage';

/** Frames of isolated emitters at random positions (≥ 10 px apart), and the truth per frame. */
function frames(w: number, h: number, count: number, perFrame: number, seed: number) {
  const rng = new Rng(seed);
  const truth: Spot[][] = [];
  const pixels = new Float32Array(count * w * h);
  for (let f = 0; f < count; f++) {
    const spots: Spot[] = [];
    while (spots.length < perFrame) {
      const s = { x: 2 + rng.uniform() * (w - 4), y: 2 + rng.uniform() * (h - 4), photons: 1000 };
      if (spots.every((o) => Math.hypot(o.x - s.x, o.y - s.y) > 10)) spots.push(s);
    }
    truth.push(spots);
    pixels.set(poissonImage(expectedImage(w, h, spots, 1.3, 10), rng), f * w * h);
  }
  return { truth, pixels };
}

describe('localizeFrames on isolated emitters (1000 photons, 10 bg/px, σ 130 nm, 100 nm px)', () => {
  test('Jaccard ≥ 0.95 within 250 nm, RMSE near the CRLB, unbiased, honest precision', () => {
    const w = 96;
    const h = 96;
    const { truth, pixels } = frames(w, h, 40, 25, 9);
    const s = new LocalizeScratch(w, h, resolveLocalizeParams({}));
    const t = localizeFrames(pixels, 40, 0, s);
    const c = t.columns;
    let tp = 0;
    let se = 0;
    let bias = 0;
    let prec = 0;
    for (let f = 0; f < 40; f++) {
      const used = new Set<number>();
      for (let i = 0; i < t.length; i++) {
        if (c.frame[i] !== f) continue;
        let best = -1;
        let bd = 250;
        truth[f].forEach((sp, k) => {
          const d = Math.hypot(sp.x * 100 - c.x[i], sp.y * 100 - c.y[i]);
          if (d < bd && !used.has(k)) {
            bd = d;
            best = k;
          }
        });
        if (best < 0) continue;
        used.add(best);
        tp++;
        const dx = c.x[i] - truth[f][best].x * 100;
        se += dx * dx;
        bias += dx;
        prec += c.precision[i];
      }
    }
    const jaccard = tp / (t.length + 40 * 25 - tp);
    const rmse = Math.sqrt(se / tp);
    expect(jaccard).toBeGreaterThanOrEqual(0.95);
    // CRLB ≈ 5.6–5.7 nm for a 7×7 window (border spots are a little worse).
    expect(rmse).toBeLessThan(1.1 * 5.7);
    expect(Math.abs(bias / tp)).toBeLessThan(1);
    expect(prec / tp / rmse).toBeGreaterThan(0.9);
    expect(prec / tp / rmse).toBeLessThan(1.1);
    expect(c.sigma[0]).toBeCloseTo(130, 3);
  });

  test('failed fits are dropped by default and kept with flags on request', () => {
    const w = 40;
    const { pixels } = frames(w, w, 5, 4, 10);
    const strict = localizeFrames(
      pixels,
      5,
      0,
      new LocalizeScratch(w, w, resolveLocalizeParams({ maxIterations: 2 })),
    );
    const kept = localizeFrames(
      pixels,
      5,
      0,
      new LocalizeScratch(w, w, resolveLocalizeParams({ maxIterations: 2, keepFailed: true })),
    );
    expect(kept.length).toBeGreaterThan(strict.length);
    expect(kept.columns.flags.some((f) => f !== 0)).toBe(true);
    expect(strict.columns.flags.every((f) => f === 0)).toBe(true);
  });

  test('parameter validation names units', () => {
    expect(() => resolveLocalizeParams({ pixelSizeNm: -1 })).toThrow(/> 0 nm/);
    expect(() => resolveLocalizeParams({ fitter: 'foo' as 'mle' })).toThrow(/mle, lsq, wlsq or mle-multi/);
    expect(() => new LocalizeScratch(5, 5, resolveLocalizeParams({}))).toThrow(/smaller than the 7×7 px/);
  });
});
