// Count (c) on the simulator's dSTORM scene: perfect localizations (the truth emission events)
// of blinking CD63 dyes on EVs, merged into blinks and divided by the dye's bursts per molecule
// (calibrated here from the same truth, as a lab would from single dyes). Blink counting is
// noisy by nature (geometric bursts), so the test asks for an unbiased count whose reported
// uncertainty covers the truth, not for step-counting precision.
import { describe, expect, test } from 'vitest';
import { evLocalizationColumns } from '../../../src/core/ev/localizationCounts';
import { presetParams } from '../../../src/core/sim/presets';
import { simulate } from '../../../src/core/sim/simulate';

describe('molecules per EV from dSTORM localizations', () => {
  const p = presetParams('dstorm');
  const sim = simulate(p);
  const ev = sim.truth.evs;
  const ec = sim.truth.events.columns;
  const locs = { frame: ec.frame, x: ec.x, y: ec.y };
  const merge = { mergeRadiusNm: 1, maxDarkFrames: 0 };

  test('unbiased, with an uncertainty that covers the truth', () => {
    // Calibration: bursts per labelled dye over the whole scene (every on-run is one burst).
    let runs = 0;
    const seen = new Map<number, number>();
    for (let i = 0; i < ec.frame.length; i++) {
      const last = seen.get(ec.molecule[i]);
      if (last === undefined || ec.frame[i] - last > 1) runs++;
      seen.set(ec.molecule[i], ec.frame[i]);
    }
    const b = runs / seen.size;
    expect(b).toBeGreaterThan(1);
    const cols = evLocalizationColumns('CD63', ev.x, ev.y, locs, {
      ...merge,
      radiusNm: 300,
      burstsPerMolecule: b,
    });
    const count = cols['CD63 locs'] as Float64Array;
    const sd = cols['CD63 locs sd'] as Float64Array;
    let sumC = 0;
    let sumT = 0;
    let covered = 0;
    let n = 0;
    for (let e = 0; e < ev.length; e++) {
      // Labelled dyes that never switched on in the movie cannot be seen by any method.
      const truth = ev.labelledCounts.CD63[e];
      if (truth === 0) continue;
      n++;
      sumC += count[e];
      sumT += truth;
      if (Math.abs(count[e] - truth) <= 2 * Math.max(sd[e], 1 / b)) covered++;
    }
    expect(n).toBeGreaterThan(40);
    expect(sumC / sumT).toBeGreaterThan(0.85);
    expect(sumC / sumT).toBeLessThan(1.15);
    expect(covered / n).toBeGreaterThanOrEqual(0.85);
  });

  test('EVs without CD63 get no localizations; a radius of 0 is refused', () => {
    const cols = evLocalizationColumns('CD63', ev.x, ev.y, locs, {
      ...merge,
      radiusNm: 300,
      burstsPerMolecule: 2,
    });
    const bursts = cols['CD63 bursts'] as Uint32Array;
    for (let e = 0; e < ev.length; e++) if (ev.labelledCounts.CD63[e] === 0) expect(bursts[e]).toBe(0);
    expect(() =>
      evLocalizationColumns('CD63', ev.x, ev.y, locs, { ...merge, radiusNm: 0, burstsPerMolecule: 2 }),
    ).toThrow(/radius must be > 0 nm/);
  });
});
