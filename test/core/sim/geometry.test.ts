// Stage drift and the second channel's affine map are applied to the truth and to the pixels.
import { describe, expect, test } from 'vitest';
import { invertAffine, similarityAffine } from '../../../src/core/sim/geometry';
import { simulate } from '../../../src/core/sim/simulate';
import { setEmitters, smallIsolated } from './helpers';

describe('drift and two-channel registration', () => {
  const T = similarityAffine(1.01, 2, 40, -30, 3200, 3200);
  const p = smallIsolated((q) => {
    q.width = 64;
    q.height = 64;
    q.frames = 40;
    setEmitters(q, 4);
    q.drift = { speedXNmPerS: 100, speedYNmPerS: -50, wobbleAmplitudeNm: 0, wobblePeriodS: 10 };
    q.channels.push({ ...q.channels[0], name: 'second camera', transform: T });
  });
  const sim = simulate(p);
  const ev = sim.truth.events.columns;

  test('channel 0 sees sample + drift; channel 1 sees the affine image of that', () => {
    expect(sim.truth.driftX[0]).toBe(0);
    // 100 nm/s × 10 ms per frame.
    expect(sim.truth.driftX[39]).toBeCloseTo(39, 9);
    expect(sim.truth.driftY[39]).toBeCloseTo(-19.5, 9);
    const byMolecule = new Map<number, number>();
    let checked = 0;
    for (let e = 0; e < sim.truth.events.length; e++) {
      const k = ev.frame[e];
      const x = ev.xSample[e] + sim.truth.driftX[k];
      const y = ev.ySample[e] + sim.truth.driftY[k];
      if (ev.channel[e] === 0) {
        expect(ev.x[e]).toBeCloseTo(x, 9);
        byMolecule.set(ev.molecule[e], e);
      } else {
        expect(ev.x[e]).toBeCloseTo(T.a * x + T.b * y + T.tx, 9);
        expect(ev.y[e]).toBeCloseTo(T.c * x + T.d * y + T.ty, 9);
        // The inverse map brings channel 1 back onto channel 0.
        const e0 = byMolecule.get(ev.molecule[e])!;
        const inv = invertAffine(T);
        expect(inv.a * ev.x[e] + inv.b * ev.y[e] + inv.tx).toBeCloseTo(ev.x[e0], 6);
        checked++;
      }
    }
    expect(checked).toBe(160);
    expect(sim.truth.channelTransforms[1]).toEqual(T);
  });

  test('the pixels follow the camera positions (centroid of the noise-free image)', () => {
    for (const channel of [0, 1]) {
      const img = sim.stack.expectedPhotons(30, channel);
      const [s, e] = [
        sim.truth.events.frameStart[channel * 40 + 30],
        sim.truth.events.frameStart[channel * 40 + 31],
      ];
      for (let r = s; r < e; r++) {
        const cx = Math.floor(ev.x[r] / 100);
        const cy = Math.floor(ev.y[r] / 100);
        let m = 0;
        let mx = 0;
        let my = 0;
        for (let j = cy - 7; j <= cy + 7; j++) {
          for (let i = cx - 7; i <= cx + 7; i++) {
            const v = img[j * 64 + i] - 10;
            m += v;
            mx += v * (i + 0.5) * 100;
            my += v * (j + 0.5) * 100;
          }
        }
        expect(Math.abs(mx / m - ev.x[r])).toBeLessThan(0.5);
        expect(Math.abs(my / m - ev.y[r])).toBeLessThan(0.5);
      }
    }
  });
});
