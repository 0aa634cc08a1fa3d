// EV counting on misregistered channels (issue 8: "channels registered"): the simulator's
// evMarkers scene with cameras 2–4 seeing the sample through a known shift + rotation. Without
// registration the channels' ROIs miss the EVs (and union detection splits every EV in two);
// with the registration — the inverse of the simulator's channel map, channel c → channel 0 —
// the counts come back to those of the aligned scene. The simulator's own map (the wrong
// direction) must fail as badly as none: the test catches a sign error in the transform.
import { describe, expect, test } from 'vitest';
import { analyzeEvMarkers, type EvTable } from '../../../src/core/ev/analyzeEvMarkers';
import type { EvMarkerParamsInput } from '../../../src/core/ev/params';
import {
  type Affine6,
  fromSimAffine,
  IDENTITY6,
  invertAffine6,
} from '../../../src/core/registration/affine6';
import { similarityAffine } from '../../../src/core/sim/geometry';
import { presetParams } from '../../../src/core/sim/presets';
import { type Simulation, simulate } from '../../../src/core/sim/simulate';

const CHANNELS = ['CD9', 'CD63', 'CD81', 'fluidity probe'];

function scene(misregistered: boolean): Simulation {
  const p = presetParams('evMarkers');
  p.frames = 200;
  if (misregistered)
    for (let c = 1; c < p.channels.length; c++)
      // 1.5° about the centre and (220, −160) nm: 2–4 px off over the field, beyond the 3 px ROI.
      p.channels[c].transform = similarityAffine(
        1.001,
        1.5 * (c % 2 ? 1 : -1),
        220,
        -160 + 40 * c,
        6400,
        6400,
      );
  return simulate(p);
}

/**
 * Mean relative count error over every truth EV and channel (dye-carrying molecules), with an
 * EV that was not found (no EV centre within 150 nm) scoring 1: a bad placement shows either way.
 */
function score(sim: Simulation, table: EvTable): { error: number; found: number } {
  const ev = sim.truth.evs;
  const x = table.columns.x as Float64Array;
  const y = table.columns.y as Float64Array;
  let err = 0;
  let n = 0;
  let found = 0;
  for (let i = 0; i < ev.length; i++) {
    let best = -1;
    let bd = 150 * 150;
    for (let e = 0; e < table.length; e++) {
      const d = (ev.x[i] - x[e]) ** 2 + (ev.y[i] - y[e]) ** 2;
      if (d < bd) {
        bd = d;
        best = e;
      }
    }
    if (best >= 0) found++;
    for (let c = 0; c < CHANNELS.length; c++) {
      const truth = c < 3 ? ev.labelledCounts[CHANNELS[c]][i] : ev.probeCount[i];
      const got = best >= 0 ? (table.columns[`${CHANNELS[c]} steps`] as Float64Array)[best] : 0;
      // A channel with no learnt unit gives NaN counts: as wrong as a miss.
      err += best >= 0 && Number.isFinite(got) ? Math.min(1, Math.abs(got - truth) / Math.max(1, truth)) : 1;
      n++;
    }
  }
  return { error: err / n, found: found / ev.length };
}

function withRegistration(sim: Simulation, direction: 'inverse' | 'simulator'): EvMarkerParamsInput {
  const toReference: Affine6[] = sim.params.channels.map((ch, c) =>
    c === 0
      ? IDENTITY6
      : direction === 'inverse'
        ? invertAffine6(fromSimAffine(ch.transform))
        : fromSimAffine(ch.transform),
  );
  return { registration: { toReference, label: `truth (${direction})` } };
}

describe('EV counting with two-colour registration', () => {
  test('registration recovers the aligned accuracy; none, or the wrong direction, does not', async () => {
    const aligned = scene(false);
    const base = score(aligned, await analyzeEvMarkers(aligned.stack, {}));
    const shifted = scene(true);
    const none = score(shifted, await analyzeEvMarkers(shifted.stack, {}));
    const regTable = await analyzeEvMarkers(shifted.stack, withRegistration(shifted, 'inverse'));
    const reg = score(shifted, regTable);
    const wrong = score(
      shifted,
      await analyzeEvMarkers(shifted.stack, withRegistration(shifted, 'simulator')),
    );
    expect(base.found).toBeGreaterThan(0.8);
    expect(base.error).toBeLessThan(0.2);
    // Registered: as good as the aligned scene (same dyes, same noise; only ROI pixels differ).
    expect(reg.found).toBeGreaterThan(base.found - 0.05);
    expect(reg.error).toBeLessThan(base.error * 1.25 + 0.02);
    expect(none.error).toBeGreaterThan(2 * base.error);
    expect(wrong.error).toBeGreaterThan(2 * base.error);
    expect(regTable.registration?.label).toBe('truth (inverse)');
  }, 120_000);

  test('identity registration gives bit-identical results to none', async () => {
    const sim = scene(false);
    sim.params.frames = 60;
    const small = simulate({ ...sim.params, frames: 60 });
    const a = await analyzeEvMarkers(small.stack, {});
    const b = await analyzeEvMarkers(small.stack, {
      registration: { toReference: [IDENTITY6, IDENTITY6, IDENTITY6, IDENTITY6], label: 'identity' },
    });
    expect(b.length).toBe(a.length);
    for (const [k, v] of Object.entries(a.columns))
      expect(Array.from(b.columns[k]), k).toEqual(Array.from(v));
  }, 60_000);
});
