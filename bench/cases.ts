// Every benchmark case, in the order the runner reports them.
import { Rng } from '../src/core/random';
import { calciumCases } from './calcium.cases';
import { evCases } from './ev.cases';
import { localizeCases } from './localize.cases';
import { localizeFileCases } from './localizeFile.cases';
import { movieCases } from './movie.cases';
import { multiCases } from './multi.cases';
import { renderCases } from './render.cases';
import { sessionCases } from './session.cases';
import { simCases } from './sim.cases';
import { sptCases } from './spt.cases';
import { stackCases } from './stack.cases';
import { structuresCases } from './structures.cases';
import type { BenchCase } from './types';

const rngPoisson: BenchCase = {
  name: 'rng-poisson',
  where: ['node', 'browser'],
  async run() {
    // Shot noise for a 256×256 frame costs 65,536 Poisson deviates: this is the simulator's floor.
    const r = new Rng(1);
    const n = 2_000_000;
    let s = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) s += r.poisson(i & 1 ? 12 : 3);
    const ms = performance.now() - t0;
    return { 'deviates/s': (n / ms) * 1000, 'frames256/s': (n / 65536 / ms) * 1000, checksum: s };
  },
};

export const cases: BenchCase[] = [
  rngPoisson,
  ...stackCases,
  ...renderCases,
  ...movieCases,
  ...structuresCases,
  ...evCases,
  ...sptCases,
  ...sessionCases,
  ...simCases,
  ...localizeCases,
  ...localizeFileCases,
  ...multiCases,
  ...calciumCases,
];
