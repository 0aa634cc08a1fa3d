// Issue 13 in the browser's Movie step: a stray frame number (one CSV row in frame 10⁹) must not
// stretch the movie, and a movie of more than MAX_MOVIE_FRAMES frames is refused with what to
// change. The store drives the real movie worker API, in-process.
import { afterAll, beforeEach, expect, test, vi } from 'vitest';
import { readThunderstormCsv } from '../../src/core/io/thunderstormCsv';
import { MAX_MOVIE_FRAMES } from '../../src/core/movie/window';
import { movieChunk, movieService } from '../../src/engine/movieService';
import type { StackInfo } from '../../src/engine/stackService';
import { dataStore } from '../../src/state/dataStore';
import { locsStore } from '../../src/state/locsStore';
import { buildMovie, movieStore } from '../../src/state/movieStore';
import { uiStore } from '../../src/state/uiStore';
import { createMovieApi } from '../../workers/movie.api';
import { filesOf, HOSTILE_CASES } from '../helpers/hostileCorpus';

const api = createMovieApi();
const spies = [
  vi.spyOn(movieService, 'configure').mockImplementation(async (c) => api.configure(c)),
  vi.spyOn(movieService, 'append').mockImplementation(async (t) => api.append(movieChunk(t))),
  vi.spyOn(movieService, 'setLocalizedFrames').mockImplementation(async (n) => api.setLocalizedFrames(n)),
  vi.spyOn(movieService, 'contrast').mockImplementation(async (n, p) => api.contrast(n, p)),
];
afterAll(() => {
  for (const s of spies) s.mockRestore();
});

const stack = (frameCount: number): StackInfo => ({
  id: 7,
  name: 'cell.tif',
  files: ['cell.tif'],
  recipe: { kind: 'files', files: [] },
  width: 100,
  height: 100,
  frameCount,
  channels: 1,
  dtype: 'uint16',
  meta: { flavour: 'multipage', byteOrder: 'little', pixelSizeNm: 100, frameIntervalMs: 5 },
});

async function frame1e9Table() {
  const c = HOSTILE_CASES.find((h) => h.id === 'csv-frame-1e9-movie');
  if (!c) throw new Error('the hostile corpus lost its csv-frame-1e9-movie case');
  const [file] = await filesOf(c);
  return readThunderstormCsv(new TextDecoder().decode(file.bytes), { fileName: file.name }).table;
}

const PARAMS = { window: 10, step: 5, renderPxNm: 50, sigma: { kind: 'fixed', nm: 20 } as const, roi: null };

beforeEach(() => {
  dataStore.setState({ stacks: [], tables: [], activeId: null });
  locsStore.getState().clear();
  uiStore.setState({ notices: [] });
  for (const s of spies) s.mockClear();
});

test('a row in frame 10⁹ leaves the movie the length of the stack, and the panel says it was left out', async () => {
  dataStore.getState().addStack(stack(5008));
  const table = await frame1e9Table();
  locsStore.getState().load(7, table, { source: 'frame-1e9.csv' });
  const frames = await buildMovie(PARAMS);
  // ⌊(5008 − 10)/5⌋ + 1, not the ~2·10⁸ frames a movie running to frame 10⁹ would have.
  expect(frames).toBe(1000);
  const s = movieStore.getState();
  expect(s.status).toBe('ready');
  expect(s.info?.expected).toBe(1000);
  const note = s.notes.find((n) => n.includes('1,000,000,000'));
  expect(note).toBeDefined();
  expect(note).toMatch(/1 localization lies in raw frame 1,000,000,000, after the stack's 5,008 frames/);
  expect(note).toContain(`more than the limit of ${MAX_MOVIE_FRAMES.toLocaleString('en-US')}`);
  expect(note).toContain('`frame < 5008` in Post-process');
  const warning = uiStore.getState().notices.find((n) => n.kind === 'warning');
  expect(warning?.message).toBe(note);
});

test('the localizations inside the stack build the movie without a note', async () => {
  dataStore.getState().addStack(stack(5008));
  const table = await frame1e9Table();
  const keep = Array.from(table.columns.frame, (f) => f < 5008);
  const cols = Object.fromEntries(
    Object.entries(table.columns).map(([k, v]) => [k, v.filter((_: number, i: number) => keep[i])]),
  );
  locsStore.getState().load(7, { length: keep.filter(Boolean).length, columns: cols } as typeof table, {
    source: 'clean.csv',
  });
  expect(await buildMovie(PARAMS)).toBe(1000);
  expect(movieStore.getState().notes).toEqual([]);
  expect(uiStore.getState().notices).toEqual([]);
});

test('a movie of more than the limit is refused before the worker is asked, naming the step to change', async () => {
  dataStore.getState().addStack(stack(MAX_MOVIE_FRAMES + 1));
  const table = await frame1e9Table();
  locsStore.getState().load(7, table, { source: 'frame-1e9.csv' });
  const frames = await buildMovie({ ...PARAMS, window: 1, step: 1 });
  expect(frames).toBe(0);
  const s = movieStore.getState();
  expect(s.status).toBe('failed');
  expect(s.errors.step).toMatch(
    /The movie would have 100,001 frames \(raw frames 1…100,001, W = 1, S = 1\), more than the limit of 100,000: choose a larger step S/,
  );
  expect(uiStore.getState().notices.at(-1)?.kind).toBe('error');
  expect(uiStore.getState().notices.at(-1)?.message).toContain('more than the limit of 100,000');
  expect(movieService.configure).not.toHaveBeenCalled();
});
