import { beforeEach, expect, test } from 'vitest';
import { locTableFromColumns } from '../../src/core/locs/table';
import { locsStore, locsTable } from '../../src/state/locsStore';

const chunk = (frames: number[]) =>
  locTableFromColumns({ frame: new Uint32Array(frames), x: new Float64Array(frames.map((f) => f * 10)) });

beforeEach(() => locsStore.getState().clear());

test('streamed chunks concatenate in arrival order and a cancel keeps them', () => {
  const s = locsStore.getState();
  s.startRun(3, { fitter: 'mle' }, 10);
  s.append(chunk([0, 0, 1]));
  s.append(chunk([2]));
  s.finish('cancelled');
  const st = locsStore.getState();
  expect(st.status).toBe('cancelled');
  expect(st.count).toBe(4);
  expect([...locsTable().columns.frame]).toEqual([0, 0, 1, 2]);
});

test('the concatenated table is rebuilt only when the data change', () => {
  locsStore.getState().load(1, chunk([5, 6]), null);
  const a = locsTable();
  expect(locsTable()).toBe(a);
  locsStore.getState().append(chunk([7]));
  expect(locsTable()).not.toBe(a);
  expect(locsTable().length).toBe(3);
});

test('while a run streams, the whole table matches its chunks at each change and a new run starts afresh', () => {
  const s = locsStore.getState();
  s.startRun(3, { fitter: 'mle' }, 10);
  const sent: number[] = [];
  for (let f = 0; f < 50; f++) {
    const frames = Array.from({ length: f % 4 }, () => f);
    sent.push(...frames);
    locsStore.getState().append(chunk(frames));
    if (f % 7 === 0) {
      expect([...locsTable().columns.frame]).toEqual(sent);
      expect([...locsTable().columns.x]).toEqual(sent.map((v) => v * 10));
    }
  }
  expect(locsTable().length).toBe(sent.length);
  locsStore.getState().startRun(3, { fitter: 'mle' }, 10);
  locsStore.getState().append(chunk([9]));
  expect([...locsTable().columns.frame]).toEqual([9]);
});
