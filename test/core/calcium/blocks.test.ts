// The streaming pass reads frames in blocks when the reader offers them (a TIFF from a File: one
// slice per block): the result is the one frame-by-frame reading gives, to the bit, including
// the last, shorter block (300 frames of 256² = blocks of 128, 128 and 44).
import { expect, test } from 'vitest';
import { analyseCalcium } from '../../../src/core/calcium';
import { presetParams, simulate } from '../../../src/core/sim';
import { readFramesOneByOne } from '../../../src/core/stack/frameBlock';

test('block reads give the frame-by-frame result', async () => {
  const stack = simulate(presetParams('calcium')).stack;
  const blocks: number[] = [];
  const blocked = {
    width: stack.width,
    height: stack.height,
    frameCount: stack.frameCount,
    readFrame: (i: number) => stack.readFrame(i),
    readFrames: (first: number, count: number) => {
      blocks.push(count);
      return readFramesOneByOne(stack, first, count);
    },
  };
  const single = { ...blocked, readFrames: undefined };
  const params = { addFrame: 100, bleach: 'exp' as const, frameIntervalS: 0.5 };
  const a = await analyseCalcium(blocked, params);
  const b = await analyseCalcium(single, params, { meanImage: a.meanImage });
  expect(blocks).toEqual([128, 128, 44]);
  expect(a.traces).toEqual(b.traces);
  expect(a.cells).toEqual(b.cells);
}, 120_000);
