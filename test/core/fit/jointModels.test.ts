// The unrolled joint models are generated from one pattern (bin/gen-joint-models.mjs) and checked
// in: the checked-in module must be exactly what the generator writes, so neither can be edited
// without the other. That the kernels equal the general joint model is multiFitter.test.ts's job.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { jointModel, moduleText, OUTPUT } from '../../../bin/gen-joint-models.mjs';

const root = join(import.meta.dirname, '../../..');

test('multiEvaluate.ts is what the generator writes', () => {
  expect(readFileSync(join(root, OUTPUT), 'utf8')).toBe(moduleText());
});

test('the pattern scales with the emitter count: (3k+1)(3k+2)/2 Fisher sums, 3k+1 gradient sums', () => {
  for (const k of [1, 2, 3, 4]) {
    const text = jointModel(k);
    const np = 3 * k + 1;
    expect(text.match(/^ {2}let h\d+_\d+ = 0;$/gm)?.length).toBe((np * (np + 1)) / 2);
    expect(text.match(/^ {2}let g\d+ = 0;$/gm)?.length).toBe(np);
    expect(text.match(/^ {2}axisModel\(/gm)?.length).toBe(2 * k);
  }
});
