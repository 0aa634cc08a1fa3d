// The experiment's batch queue against a fake analysis: a failed input is reported and skipped,
// excluded inputs are left out, re-run runs again, and a reload (a new actions object over the
// same persisted state) resumes with the inputs that had not finished — reusing their summaries.
import { beforeEach, expect, test } from 'vitest';
import type { ExperimentSteps } from '../../src/core/experiment/model';
import { buildInputSummary, type InputSummary } from '../../src/core/experiment/summary';
import { memoryPersistence } from '../../src/engine/experimentPersist';
import {
  type AnalyseFn,
  currentSummaries,
  inputsToRun,
  makeExperimentActions,
} from '../../src/state/experimentActions';
import { forgetExperimentFiles } from '../../src/state/experimentFiles';
import { experimentStore, resetExperiment } from '../../src/state/experimentStore';

const STEPS: ExperimentSteps = { localize: { pixelSizeNm: 100, sigmaNm: 130 } };

class Cancelled extends Error {}

interface Fake {
  analyse: AnalyseFn;
  calls: string[];
}

/** Analysis that "measures" a number from the file's bytes, fails on names with "bad". */
function fakeAnalysis(opts: { hangOn?: string } = {}): Fake {
  const calls: string[] = [];
  const analyse: AnalyseFn = async (input, recipe, _steps, hash, _lane, signal, progress) => {
    calls.push(input.id);
    progress('localize', 0.5);
    if (input.path.includes('bad')) throw new Error('localize: not a TIFF file');
    if (opts.hangOn === input.id)
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Cancelled())));
    const blob = recipe.kind === 'simulated' ? null : recipe.file;
    const n = blob ? (await blob.text()).length : 0;
    return buildInputSummary(input, { locs: { length: n, columns: {} } as never }, ['localize'], hash);
  };
  return { analyse, calls };
}

function actions(fake: Fake, persistence = memoryPersistence()) {
  const notices: string[] = [];
  const a = makeExperimentActions({
    analyse: fake.analyse,
    isCancel: (e) => e instanceof Cancelled,
    lanes: () => 1,
    persistence,
    notify: (_k, title) => notices.push(title),
  });
  return { a, notices, persistence };
}

function file(path: string, bytes: number): File {
  const f = new File(['x'.repeat(bytes)], path.split('/').pop()!);
  Object.defineProperty(f, 'webkitRelativePath', { value: path });
  return f;
}

const FILES = () => [
  file('exp/ctrl/c1_a.tif', 3),
  file('exp/ctrl/c2_a.tif', 4),
  file('exp/drug/c1_a.tif', 5),
  file('exp/drug/c2_bad.tif', 6),
  file('exp/drug/c3_a.tif', 7),
];

beforeEach(() => {
  resetExperiment();
  forgetExperimentFiles();
});

function setUp(a: ReturnType<typeof actions>['a']) {
  a.newExperiment('test');
  a.setPattern('{condition}/{cell}_*.tif');
  a.addFiles(FILES());
  a.setSteps(STEPS);
}

test('the pattern groups dropped files by cell and condition; cells are per condition', () => {
  const { a } = actions(fakeAnalysis());
  setUp(a);
  const inputs = experimentStore.getState().experiment!.inputs;
  expect(inputs.map((x) => [x.path, x.condition, x.cell])).toEqual([
    ['exp/ctrl/c1_a.tif', 'ctrl', 'ctrl/c1'],
    ['exp/ctrl/c2_a.tif', 'ctrl', 'ctrl/c2'],
    ['exp/drug/c1_a.tif', 'drug', 'drug/c1'],
    ['exp/drug/c2_bad.tif', 'drug', 'drug/c2'],
    ['exp/drug/c3_a.tif', 'drug', 'drug/c3'],
  ]);
  // Ids are unique although two files share a stem.
  expect(new Set(inputs.map((x) => x.id)).size).toBe(5);
  // The same files again add nothing.
  expect(a.addFiles(FILES()).added).toBe(0);
});

test('a failed input is reported and skipped; the others finish with their own summaries', async () => {
  const fake = fakeAnalysis();
  const { a, notices } = actions(fake);
  setUp(a);
  const out = await a.start();
  expect(out).toEqual({ done: 4, failed: 1, notRun: 0 });
  const s = experimentStore.getState();
  const bad = s.experiment!.inputs.find((x) => x.path.includes('bad'))!;
  expect(s.runs[bad.id].status).toBe('failed');
  expect(s.runs[bad.id].error).toMatch(/not a TIFF/);
  expect(notices.some((n) => n.includes('c2_bad.tif') && n.includes('skipped'))).toBe(true);
  // Each summary is its own input's (the fake measures the file's size).
  const counts = Object.fromEntries(currentSummaries(s).map((x) => [x.id, x.metrics['locs.count']]));
  const ids = s.experiment!.inputs.map((x) => x.id);
  expect(counts).toEqual({ [ids[0]]: 3, [ids[1]]: 4, [ids[2]]: 5, [ids[4]]: 7 });
  expect(s.queue).toBe('idle');
  // Nothing left to run: a failed input waits for Re-run.
  expect(inputsToRun(s)).toEqual([]);
});

test('excluded inputs do not run or count; re-run runs one input again; regrouping needs no re-run', async () => {
  const fake = fakeAnalysis();
  const { a } = actions(fake);
  setUp(a);
  const ids = experimentStore.getState().experiment!.inputs.map((x) => x.id);
  a.setExcluded(ids[1], true);
  await a.start();
  expect(fake.calls).not.toContain(ids[1]);
  expect(currentSummaries(experimentStore.getState()).map((x) => x.id)).not.toContain(ids[1]);
  fake.calls.length = 0;
  a.setExcluded(ids[1], false);
  a.rerun(ids[0]);
  await a.start();
  expect(fake.calls.sort()).toEqual([ids[0], ids[1]].sort());
  a.setInput(ids[0], { cell: 'ctrl/c9' });
  const s0 = currentSummaries(experimentStore.getState()).find((x) => x.id === ids[0])!;
  expect(s0.cell).toBe('ctrl/c9');
  // Other parameters make every summary stale: all run again.
  fake.calls.length = 0;
  a.setSteps({ localize: { pixelSizeNm: 160, sigmaNm: 130 } });
  expect(currentSummaries(experimentStore.getState())).toEqual([]);
  await a.start();
  expect(fake.calls.length).toBe(5);
});

test('after a reload the queue resumes: finished inputs keep their summaries, files are matched by path', async () => {
  const fake = fakeAnalysis({ hangOn: 'c1_a-2' });
  const first = actions(fake);
  setUp(first.a);
  const ids = experimentStore.getState().experiment!.inputs.map((x) => x.id);
  expect(ids).toContain('c1_a-2');
  const running = first.a.start();
  // Inputs run in id order (c1_a, c1_a-2, c2_a, …): wait until the second hangs, then "reload": the tab and its files are gone.
  while (!fake.calls.includes('c1_a-2')) await new Promise((r) => setTimeout(r, 1));
  await first.a.flush();
  const saved: InputSummary[] = currentSummaries(experimentStore.getState());
  expect(saved.map((x) => x.id)).toEqual(['c1_a']);
  first.a.cancel();
  await running;
  // A cancelled queue is not resumed; a crash (tab closed mid-run) is: persist that state.
  await first.persistence.save({
    savedAt: '',
    state: {
      ...((await first.persistence.load())!.state as object),
      wanted: true,
    },
  });
  resetExperiment();
  forgetExperimentFiles();

  const fake2 = fakeAnalysis();
  const second = actions(fake2, first.persistence);
  const resumed = second.a.resume();
  const out = await resumed;
  // No file is attached after the reload: nothing ran, every unfinished input waits for its file.
  expect(out?.done ?? 0).toBe(0);
  expect(second.notices.some((n) => n.includes('need their files'))).toBe(true);
  expect(currentSummaries(experimentStore.getState())).toEqual(saved);
  // The folder is dropped again, one file of it without a summary rewritten (another size): it
  // is still that input's file.
  const again = FILES();
  again[4] = file('exp/drug/c3_a.tif', 70);
  const r = second.a.addFiles(again);
  expect(r.attached).toBe(5);
  while (second.a.running || fake2.calls.length === 0) await new Promise((res) => setTimeout(res, 1));
  // Only the inputs without a summary ran again.
  expect(fake2.calls).toEqual(['c1_a-2', 'c2_a', 'c2_bad', 'c3_a']);
  const s = experimentStore.getState();
  expect(s.runs['c1_a-2'].status).toBe('done');
  expect(currentSummaries(s).find((x) => x.id === 'c1_a')).toEqual(saved[0]);
  expect(currentSummaries(s).find((x) => x.id === 'c3_a')?.metrics['locs.count']).toBe(70);
});

test('a file that changed since its result (same name, even the same size) runs again after a reload; unchanged ones resume', async () => {
  const fake = fakeAnalysis();
  const first = actions(fake);
  setUp(first.a);
  await first.a.start();
  await first.a.flush();
  const before = currentSummaries(experimentStore.getState());
  expect(before.map((x) => x.metrics['locs.count'])).toEqual([3, 5, 4, 7]);
  // The summary's paramsHash is the resume key: each input's own (its file's bytes are in it).
  expect(new Set(before.map((x) => x.paramsHash)).size).toBe(4);
  resetExperiment();
  forgetExperimentFiles();
  const fake2 = fakeAnalysis();
  const second = actions(fake2, first.persistence);
  await second.a.resume();
  // c2_a rewritten in place: same name, same size, other bytes.
  const again = FILES();
  again[1] = new File(['yyyy'], 'c2_a.tif');
  Object.defineProperty(again[1], 'webkitRelativePath', { value: 'exp/ctrl/c2_a.tif' });
  second.a.addFiles(again);
  await second.a.start();
  // c2_bad failed before and its file is the same: it is not retried by itself either.
  expect(fake2.calls).toEqual(['c2_a']);
  const after = currentSummaries(experimentStore.getState());
  const c2 = (l: typeof before) => l.find((x) => x.id === 'c2_a')!;
  expect(c2(after).paramsHash).not.toBe(c2(before).paramsHash);
  expect(after.filter((x) => x.id !== 'c2_a')).toEqual(before.filter((x) => x.id !== 'c2_a'));
});

test('saved state survives a structured clone and rejects a damaged experiment with the reason', async () => {
  const { a, persistence } = actions(fakeAnalysis());
  setUp(a);
  await a.flush();
  await persistence.save({ savedAt: '', state: { experiment: { format: 'nope' } } });
  const notices: string[] = [];
  const b = makeExperimentActions({
    analyse: fakeAnalysis().analyse,
    isCancel: () => false,
    lanes: () => 1,
    persistence,
    notify: (_k, t, m) => notices.push(`${t}: ${m}`),
  });
  expect(await b.resume()).toBeNull();
  expect(notices[0]).toMatch(/could not be restored.*format/s);
});
