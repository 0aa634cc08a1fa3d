// Rendered emitters carry exactly the photons the truth table says.
import { describe, expect, test } from 'vitest';
import { simulate } from '../../../src/core/sim/simulate';
import { setEmitters, smallIsolated } from './helpers';

describe('rendered photons', () => {
  test('window sums of (ADU − offset)·g match the truth photons, with Poisson spread', () => {
    const p = smallIsolated((q) => {
      q.width = 64;
      q.height = 64;
      q.frames = 100;
      setEmitters(q, 16);
      q.channels[0].backgroundPhotons = 0;
      q.channels[0].photonsPerFrame = 1000;
    });
    const sim = simulate(p);
    const ev = sim.truth.events;
    const frame = new Uint16Array(64 * 64);
    const px = p.pixelSizeNm;
    let ratioSum = 0;
    let sq = 0;
    let done = -1;
    for (let e = 0; e < ev.length; e++) {
      const k = ev.columns.frame[e];
      if (k !== done) {
        sim.stack.renderFrameInto(k, 0, frame);
        done = k;
      }
      const cx = Math.floor(ev.columns.x[e] / px);
      const cy = Math.floor(ev.columns.y[e] / px);
      let s = 0;
      for (let j = cy - 6; j <= cy + 6; j++)
        for (let i = cx - 6; i <= cx + 6; i++) s += frame[j * 64 + i] - 100;
      ratioSum += s / ev.columns.photons[e];
      sq += (s - ev.columns.photons[e]) ** 2;
    }
    const n = ev.length;
    expect(n).toBe(1600);
    // Mean ratio: Poisson SE is sqrt(1000)/1000/sqrt(1600) ≈ 0.08%.
    expect(Math.abs(ratioSum / n - 1)).toBeLessThan(0.003);
    // Spread of the sums is shot noise: variance ≈ photons.
    expect(sq / n / 1000).toBeGreaterThan(0.85);
    expect(sq / n / 1000).toBeLessThan(1.15);
  });

  test('noise-free expected image integrates to photons + background', () => {
    const p = smallIsolated((q) => setEmitters(q, 4));
    const sim = simulate(p);
    const img = sim.stack.expectedPhotons(3);
    const ev = sim.truth.events;
    let photons = 0;
    for (let e = 0; e < ev.length; e++) if (ev.columns.frame[e] === 3) photons += ev.columns.photons[e];
    let total = 0;
    for (const v of img) total += v;
    expect(photons).toBe(4000);
    // The PSF window (±(4σ+1) px) leaves < 1e-4 of the photons outside.
    expect(Math.abs(total - (photons + 10 * 32 * 32))).toBeLessThan(1e-4 * photons);
  });
});
