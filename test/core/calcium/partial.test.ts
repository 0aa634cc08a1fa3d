// Responses on the frames read so far (the streamed responder fraction and latencies): a cell
// counts once the frame completing its m-frame run above threshold has been read — not one frame
// earlier — with its final latency; once every frame is read the partial result is the final one.
import { expect, test } from 'vitest';
import {
  CellTraceAccumulator,
  finishCalcium,
  partialCalcium,
  resolveResponseParams,
} from '../../../src/core/calcium';

// Three one-pixel cells and one background pixel (value 10). F − background: 100 with a ±1 %
// baseline wobble; cell 1 doubles from frame 30, cell 2 from frame 60, cell 3 never responds.
const FRAMES = 100;
const ONSET = [30, 60, -1];
const labels = Int32Array.from([1, 2, 3, 0]);
const bgMask = Uint8Array.from([0, 0, 0, 1]);
const p = resolveResponseParams({ addFrame: 20, k: 3, minFrames: 3 }, FRAMES);

function frame(f: number): Float64Array {
  const wobble = [1, -1, 0.5, -0.5][f % 4];
  const px = new Float64Array(4);
  for (let c = 0; c < 3; c++)
    px[c] = 10 + 100 + wobble * (c + 1) * 0.3 + (ONSET[c] >= 0 && f >= ONSET[c] ? 100 : 0);
  px[3] = 10;
  return px;
}

function accumulate(n: number): CellTraceAccumulator {
  const acc = new CellTraceAccumulator(labels, 3, bgMask, FRAMES);
  for (let f = 0; f < n; f++) acc.addFrame(f, frame(f));
  return acc;
}

test('nothing before the baseline is read; then responders as their runs complete', () => {
  expect(partialCalcium(accumulate(19), p, 19)).toBeNull();
  const at = (n: number) => partialCalcium(accumulate(n), p, n)!;
  expect(at(20).summary.responders).toBe(0);
  // Cell 1's run starts at frame 30 (0-based): three frames above threshold are read at n = 33.
  expect(at(32).cells[0].responder).toBe(false);
  const p33 = at(33);
  expect(p33.cells[0].responder).toBe(true);
  expect(p33.cells[0].latencyFrames).toBe(10);
  expect(p33.summary).toMatchObject({ cells: 3, responders: 1 });
  expect(at(62).summary.responders).toBe(1);
  expect(at(63).summary.responders).toBe(2);
  // Frames not read yet are blank in the streamed ΔF/F₀.
  expect(Number.isNaN(p33.dff[33])).toBe(true);
  expect(p33.dff[32]).toBeCloseTo(1, 1);
});

test('with every frame read the partial result is the final one', () => {
  const acc = accumulate(FRAMES);
  const part = partialCalcium(acc, p, FRAMES)!;
  const final = finishCalcium(acc, p, {
    width: 4,
    height: 1,
    meanImage: new Float32Array(4),
    labels,
    backgroundMask: bgMask,
    segmentationThreshold: null,
  });
  expect(part.summary).toEqual(final.summary);
  expect(part.dff).toEqual(final.dff);
  expect(final.cells.map((c) => c.latencyFrames)).toEqual([10, 40, Number.NaN]);
  for (let c = 0; c < 3; c++) expect(final.cells[c]).toMatchObject(part.cells[c]);
});
