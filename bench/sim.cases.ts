// Simulator throughput: frames/s generating a 256×256 stack (isolated emitters, 10 photons/px
// background) with each camera kind. Per pixel the camera costs a Poisson deviate, plus a
// read-noise Gaussian (all kinds) and the EM register's Gamma (EMCCD), so this measures the
// noise samplers. Splice `simCases` into bench/cases.ts.
import { CAMERA_PRESETS, presetParams } from '../src/core/sim/presets';
import { simulate } from '../src/core/sim/simulate';
import type { BenchCase, Figures } from './types';

const FRAMES = 1000;
const SIDE = 256;

export const simCases: BenchCase[] = [
  {
    name: 'sim-camera',
    where: ['node', 'browser'],
    async run(log) {
      log(`${FRAMES} frames ${SIDE}×${SIDE}, isolated emitters, per camera kind`);
      const figures: Figures = {};
      for (const kind of ['ccd', 'emccd', 'scmos'] as const) {
        const p = presetParams('isolated');
        p.width = SIDE;
        p.height = SIDE;
        p.frames = FRAMES;
        p.camera = { ...CAMERA_PRESETS[kind] };
        const t0 = performance.now();
        const sim = simulate(p);
        const t1 = performance.now();
        const out = new Uint16Array(SIDE * SIDE);
        let checksum = 0;
        for (let k = 0; k < FRAMES; k++) {
          sim.stack.renderFrameInto(k, 0, out);
          checksum += out[(k * 7919) % out.length];
        }
        const ms = performance.now() - t1;
        figures[`${kind} setup ms`] = t1 - t0;
        figures[`${kind} frames/s`] = (FRAMES / ms) * 1000;
        figures[`${kind} checksum`] = checksum;
      }
      return figures;
    },
  },
];
