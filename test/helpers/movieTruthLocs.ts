// Localizations from a simulation's ground truth: every emission event of one channel becomes a
// localization displaced by its own precision (Mortensen et al. 2010 with the EMCCD excess-noise
// factor), as a good localizer would report it. Dim events a localizer would miss are dropped.
import { type LocTable, locTableFromColumns } from '../../src/core/locs/table';
import { Rng } from '../../src/core/random';
import type { Simulation } from '../../src/core/sim/simulate';

export function precisionNm(
  photons: number,
  bgPerPx: number,
  psfNm: number,
  pixelNm: number,
  emccd: boolean,
) {
  const sa2 = psfNm * psfNm + (pixelNm * pixelNm) / 12;
  const v = (sa2 / photons) * (16 / 9 + (8 * Math.PI * sa2 * bgPerPx) / (photons * pixelNm * pixelNm));
  return Math.sqrt(emccd ? 2 * v : v);
}

export function truthLocalizations(sim: Simulation, channel = 0, seed = 1, minPhotons = 60): LocTable {
  const { events } = sim.truth;
  const p = sim.params;
  const ch = p.channels[channel];
  const emccd = p.camera.kind === 'emccd';
  const r = new Rng(seed);
  const c = events.columns;
  const frame: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const precision: number[] = [];
  const photons: number[] = [];
  for (let i = 0; i < events.length; i++) {
    if (c.channel[i] !== channel || c.photons[i] < minPhotons) continue;
    const s = precisionNm(c.photons[i], ch.backgroundPhotons, ch.psfSigmaNm, p.pixelSizeNm, emccd);
    frame.push(c.frame[i]);
    x.push(c.x[i] + s * r.normal());
    y.push(c.y[i] + s * r.normal());
    precision.push(s);
    photons.push(c.photons[i]);
  }
  return locTableFromColumns({
    frame: Uint32Array.from(frame),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    precision: Float32Array.from(precision),
    photons: Float32Array.from(photons),
  });
}
