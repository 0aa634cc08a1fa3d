// A movie built while a localization run streams must end with every frame once the run ends,
// however the run's end interleaves with the store's calls to the movie worker. CI caught a
// movie marked ready with 39 of its 41 frames: the run ended while the frame count was on its
// way to the worker, and the change of state was dropped. The store drives the real movie
// worker API, in-process, with each call held for a macrotask so the run can move meanwhile.
import { afterAll, beforeEach, expect, test, vi } from 'vitest';
import { locTableFromColumns } from '../../src/core/locs/table';
import { movieChunk, movieService } from '../../src/engine/movieService';
import type { StackInfo } from '../../src/engine/stackService';
import { dataStore } from '../../src/state/dataStore';
import { locsStore } from '../../src/state/locsStore';
import { buildMovie, movieStore } from '../../src/state/movieStore';
import { createMovieApi } from '../../workers/movie.api';

const api = createMovieApi();
/** Runs before the held worker call answers (the run moving on meanwhile). */
let duringCall: ((what: string) => void) | null = null;
const held = async <T>(what: string, f: () => T): Promise<T> => {
  await new Promise((r) => setTimeout(r, 1));
  duringCall?.(what);
  return f();
};
const spies = [
  vi.spyOn(movieService, 'configure').mockImplementation((c) => held('configure', () => api.configure(c))),
  vi.spyOn(movieService, 'append').mockImplementation((t) => held('append', () => api.append(movieChunk(t)))),
  vi
    .spyOn(movieService, 'setLocalizedFrames')
    .mockImplementation((n) => held('setLocalizedFrames', () => api.setLocalizedFrames(n))),
  vi.spyOn(movieService, 'contrast').mockImplementation((n, p) => held('contrast', () => api.contrast(n, p))),
];
afterAll(() => {
  for (const s of spies) s.mockRestore();
});

const FRAMES = 900;
const W = 100;
const S = 20;
const EXPECTED = Math.floor((FRAMES - W) / S) + 1; // 41

const stack: StackInfo = {
  id: 3,
  name: 'run.tif',
  files: ['run.tif'],
  recipe: { kind: 'files', files: [] },
  width: 64,
  height: 64,
  frameCount: FRAMES,
  channels: 1,
  dtype: 'uint16',
  meta: { flavour: 'multipage', byteOrder: 'little', pixelSizeNm: 100, frameIntervalMs: 5 },
};

/** One localization in each frame of [from, to). */
const chunk = (from: number, to: number) =>
  locTableFromColumns({
    frame: Uint32Array.from({ length: to - from }, (_, i) => from + i),
    x: new Float64Array(to - from).fill(3000),
    y: new Float64Array(to - from).fill(3000),
  });

const progress = (framesDone: number) => ({ framesDone, framesTotal: FRAMES, locs: framesDone }) as never;

beforeEach(() => {
  dataStore.setState({ stacks: [], tables: [], activeId: null });
  dataStore.getState().addStack(stack);
  locsStore.getState().clear();
  duringCall = null;
});

const settled = async () => {
  for (let i = 0; i < 200 && movieStore.getState().status !== 'ready'; i++)
    await new Promise((r) => setTimeout(r, 2));
  return movieStore.getState();
};

test.each(['setLocalizedFrames', 'append', 'contrast', 'configure'])(
  'the run ending during the movie worker’s %s call still leaves every frame ready',
  async (when) => {
    const l = locsStore.getState();
    l.startRun(3, { source: 'run' }, FRAMES);
    l.append(chunk(0, 880));
    l.setProgress(progress(880));
    let ended = false;
    duringCall = (what) => {
      if (ended || what !== when) return;
      ended = true;
      locsStore.getState().append(chunk(880, FRAMES));
      locsStore.getState().setProgress(progress(FRAMES));
      locsStore.getState().finish('done');
    };
    const built = buildMovie({
      window: W,
      step: S,
      renderPxNm: 50,
      sigma: { kind: 'fixed', nm: 20 },
      roi: null,
    });
    // A movie built before its last chunk: streams until the run is done.
    await built;
    if (!ended) {
      // The call never came while building (e.g. configure happens once): end the run now.
      duringCall = null;
      ended = true;
      locsStore.getState().append(chunk(880, FRAMES));
      locsStore.getState().setProgress(progress(FRAMES));
      locsStore.getState().finish('done');
    }
    const s = await settled();
    expect(s.status).toBe('ready');
    expect(s.info?.ready).toBe(EXPECTED);
    expect(s.info?.localizations).toBe(FRAMES);
  },
);
