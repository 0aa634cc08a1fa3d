// The uptake scene's structure labelling: 'perLifetime' (default) recruits a fixed count over a
// structure's life, 'perTime' a count proportional to it (constant density per area and time).
import { expect, test } from 'vitest';
import { presetParams } from '../../../src/core/sim/presets';
import { simulate } from '../../../src/core/sim/simulate';
import { validateSimulationParams } from '../../../src/core/sim/validate';

/** Mean molecules per µm² per s of life, for the shorter- and longer-lived half of the patches. */
function densityByLife(labelling?: 'perLifetime' | 'perTime') {
  const p = presetParams('demo');
  p.frames = 400;
  if (p.scene.kind !== 'uptake') throw new Error('demo is an uptake scene');
  p.scene.patchBirthsPerUm2PerS = 0.2;
  if (labelling) p.scene.structureLabelling = labelling;
  const s = simulate(p).truth.structures;
  const rows: { life: number; density: number }[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s.kind[i] !== 1) continue;
    const life = ((s.endFrame[i] - s.startFrame[i]) * p.frameIntervalMs) / 1000;
    rows.push({ life, density: s.molecules[i] / (((Math.PI * s.rx[i] * s.ry[i]) / 1e6) * life) });
  }
  rows.sort((a, b) => a.life - b.life);
  const mean = (r: typeof rows) => r.reduce((a, b) => a + b.density, 0) / r.length;
  const half = rows.length >> 1;
  return {
    n: rows.length,
    short: mean(rows.slice(0, half)),
    long: mean(rows.slice(half)),
    perUm2PerS: p.scene.patchMoleculesPerUm2 / p.scene.patchMeanLifetimeS,
  };
}

test("'perTime' labels structures at the same density per unit time whatever their life", () => {
  const d = densityByLife('perTime');
  expect(d.n).toBeGreaterThan(100);
  expect(d.long / d.short).toBeGreaterThan(0.85);
  expect(d.long / d.short).toBeLessThan(1.15);
  expect(d.long / d.perUm2PerS).toBeGreaterThan(0.9);
  expect(d.long / d.perUm2PerS).toBeLessThan(1.1);
});

test("the default ('perLifetime') keeps a fixed count: long-lived structures are fainter per unit time", () => {
  const d = densityByLife();
  expect(d.long / d.short).toBeLessThan(0.5);
});

test('an unknown labelling is refused with a reason', () => {
  const p = presetParams('demo');
  if (p.scene.kind !== 'uptake') throw new Error('demo is an uptake scene');
  (p.scene as { structureLabelling?: string }).structureLabelling = 'sometimes';
  expect(validateSimulationParams(p).join('\n')).toMatch(/structure labelling must be/);
});
