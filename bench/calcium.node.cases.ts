// Ca²⁺ responses from a real file, the CLI's path: calcium-2000's frames written once as a 1 GB
// uint16 multi-page TIFF, then read back through a Node file handle and analysed (as `evscope
// calcium` does). Node-only, so the browser bench page never imports node:fs.
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withStack } from '../src/cli/openInputs';
import { analyseCalcium } from '../src/core/calcium';
import { createTiffWriter } from '../src/core/stack/tiffWriter';
import { source } from './calcium.cases';
import type { BenchCase } from './types';

export const calciumNodeCases: BenchCase[] = [
  {
    name: 'calcium-2000-file',
    where: ['node'],
    async run(log) {
      const { params, truth, reader } = source();
      const dir = await mkdtemp(join(tmpdir(), 'evscope-bench-ca-'));
      const path = join(dir, 'calcium-2000.tif');
      try {
        const fh = await open(path, 'w');
        const w = createTiffWriter({
          width: reader.width,
          height: reader.height,
          dtype: 'uint16',
          frameCount: reader.frameCount,
          pixelSizeNm: params.pixelSizeNm,
          frameIntervalMs: params.frameIntervalMs,
          sink: async (c) => {
            await fh.write(c);
          },
        });
        const t0 = performance.now();
        for (let f = 0; f < reader.frameCount; f++) await w.writeFrame(await reader.readFrame(f));
        await w.close();
        await fh.close();
        log(`wrote ${reader.frameCount} frames in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        const t1 = performance.now();
        const r = await withStack([path], (stack) =>
          analyseCalcium(stack, {
            addFrame: 500,
            bleach: 'exp',
            frameIntervalS: params.frameIntervalMs / 1000,
          }),
        );
        const s = (performance.now() - t1) / 1000;
        let correct = 0;
        for (let c = 0; c < truth.length; c++) {
          const x = truth.x[c] / params.pixelSizeNm;
          const y = truth.y[c] / params.pixelSizeNm;
          const row = r.cells.find((q) => Math.hypot(q.xPx - x, q.yPx - y) < 3);
          if (row && row.responder === (truth.responder[c] === 1)) correct++;
        }
        return {
          's (open + analysis from the file)': s,
          'frames/s': reader.frameCount / s,
          cells: r.count,
          'responder accuracy': correct / truth.length,
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  },
];
