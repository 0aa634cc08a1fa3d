// The Movie step says "stale" only when the localizations it was built from were replaced by
// others, not when they were cleared (a fresh start, another session being opened).
import { expect, test } from 'vitest';
import { locTableFromColumns } from '../../src/core/locs/table';
import { locsStore } from '../../src/state/locsStore';
import { type BuiltMovie, movieStore } from '../../src/state/movieStore';

const table = () =>
  locTableFromColumns({
    frame: Uint32Array.from([0, 1]),
    x: Float64Array.from([10, 20]),
    y: Float64Array.from([5, 6]),
  });
const built = { stackId: 1, channels: 1, rawFrames: 2 } as unknown as BuiltMovie;

test('clearing the localizations forgets the movie instead of calling it stale', () => {
  locsStore.getState().load(1, table(), { source: 'a.csv' });
  movieStore.setState({ status: 'ready', built, info: null });
  locsStore.getState().clear();
  expect(movieStore.getState().status).toBe('idle');
  expect(movieStore.getState().built).toBeNull();
});

test('a new localization run starting does not drop the movie being replaced', () => {
  locsStore.getState().load(1, table(), { source: 'a.csv' });
  movieStore.setState({ status: 'ready', built, info: null });
  locsStore.getState().startRun(1, { source: 'run' }, 10);
  expect(movieStore.getState().built).toBe(built);
});
