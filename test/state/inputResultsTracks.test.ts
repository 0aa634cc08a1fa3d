// Tracking shares one worker, so it cannot follow its stack off screen: leaving the stack stops
// it, and its late answer lands nowhere — not in the stack now shown, not in its own.
import { expect, test, vi } from 'vitest';
import type { StackInfo } from '../../src/engine/stackService';
import type { TracksResult } from '../../src/engine/tracksService';

let answer: (r: TracksResult) => void = () => {};
let signal: AbortSignal | undefined;
vi.mock('../../src/engine/tracksService', async (orig) => {
  const real = await orig<typeof import('../../src/engine/tracksService')>();
  return {
    ...real,
    // A worker that answers only when told to, even after being asked to stop.
    tracksService: () => ({
      track: (_req: unknown, _progress: unknown, s?: AbortSignal) => {
        signal = s;
        return new Promise<TracksResult>((r) => {
          answer = r;
        });
      },
    }),
  };
});

const { dataStore } = await import('../../src/state/dataStore');
const { tracksStore } = await import('../../src/state/tracksStore');
const { uiStore } = await import('../../src/state/uiStore');

const stack = (id: number): StackInfo => ({
  id,
  name: `s${id}.tif`,
  files: [`s${id}.tif`],
  recipe: { kind: 'files', files: [] },
  width: 32,
  height: 32,
  frameCount: 20,
  channels: 2,
  dtype: 'uint16',
  meta: { flavour: 'multipage', byteOrder: 'little', pixelSizeNm: 100, frameIntervalMs: 5 },
});

test('leaving a stack while it is tracked cancels the run and its result is written nowhere', async () => {
  const d = dataStore.getState;
  d().addStack(stack(1));
  tracksStore.getState().forStack(stack(1));
  const run = tracksStore.getState().runTracking(d().stacks[0]);
  expect(tracksStore.getState().running).toBe('tracking');
  d().addStack(stack(2));
  expect(signal?.aborted).toBe(true);
  expect(uiStore.getState().notices.map((n) => n.title)).toContain('Tracking and distances stopped');
  expect(tracksStore.getState()).toMatchObject({ running: null, trackStatus: 'idle', tracks: null });
  answer({ summary: { length: 0, columns: { track: [], positions: [] } } } as unknown as TracksResult);
  expect(await run).toBeNull();
  expect(tracksStore.getState().tracks).toBeNull();
  d().setActive(1);
  expect(tracksStore.getState()).toMatchObject({ running: null, trackStatus: 'cancelled', tracks: null });
});
