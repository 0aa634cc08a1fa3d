// An experiment travels in the session file: a reviewer who opens it gets the inputs grouped
// cell → condition, the steps' parameters and every finished input's summary (so the same
// cell-level statistics) without any of the files, and no batch starts on their machine.
import { beforeEach, expect, test } from 'vitest';
import { experimentStats } from '../../src/core/experiment/cellStats';
import { buildInputSummary } from '../../src/core/experiment/summary';
import { openSessionFile, saveSessionFile } from '../../src/core/session/index';
import { dataStore } from '../../src/state/dataStore';
import { experimentActions } from '../../src/state/experiment';
import { currentSummaries } from '../../src/state/experimentActions';
import { experimentStore, resetExperiment, stepsKey } from '../../src/state/experimentStore';
import { captureSession, restoreSession } from '../../src/state/sessionCapture';

beforeEach(() => {
  dataStore.setState({ stacks: [], activeId: null, loading: null });
  resetExperiment();
});

const steps = { localize: { sigmaNm: 130 } };

function experimentWithResults() {
  const inputs = ['a1', 'a2', 'b1', 'b2'].map((id) => ({
    id,
    path: `${id[0]}/${id}.tif`,
    cell: `${id[0]}/${id}`,
    condition: id[0],
  }));
  inputs.push({ id: 'x', path: 'a/x.tif', cell: 'a/x', condition: 'a', excluded: true } as never);
  const runs = Object.fromEntries(
    inputs.slice(0, 4).map((x, k) => [
      x.id,
      {
        status: 'done' as const,
        stepsKey: stepsKey(steps),
        summary: buildInputSummary(
          x,
          { locs: { length: 1000 + 100 * k, columns: {} } as never },
          ['localize'],
          `hash-${x.id}`,
        ),
      },
    ]),
  );
  experimentActions.load({
    experiment: { format: 'evscope-experiment', version: 1, title: 'two conditions', inputs, steps },
    pattern: '{condition}/{cell}.tif',
    simulated: {},
    truth: null,
    fileMeta: { 'a/a1.tif': { name: 'a1.tif', size: 10 } },
    runs,
    wanted: true,
  });
}

test('the experiment and its summaries survive save → open → restore; the batch is not restarted', async () => {
  experimentWithResults();
  const before = experimentStore.getState();
  const statsBefore = experimentStats(currentSummaries(before));
  const c = await captureSession({ appVersion: 't', fingerprint: async () => null });
  const opened = openSessionFile(saveSessionFile(c.session, c.tables), { fileName: 'exp.smlm' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  resetExperiment();
  const report = await restoreSession(opened);
  expect(report.warnings).toEqual([]);
  const after = experimentStore.getState();
  expect(after.experiment).toEqual(before.experiment);
  expect(after.fileMeta).toEqual(before.fileMeta);
  expect(currentSummaries(after)).toEqual(currentSummaries(before));
  expect(experimentStats(currentSummaries(after))).toEqual(statsBefore);
  // Opening a session reads results; it does not run anyone's batch.
  expect(after.wanted).toBe(false);
  expect(after.queue).toBe('idle');
});

test('a session without an experiment clears the one on screen; a damaged one is refused with the reason (the experiment file schema)', async () => {
  experimentWithResults();
  const plain = await captureSession({ appVersion: 't', fingerprint: async () => null });
  delete plain.session.steps.experiment;
  delete plain.session.steps.experimentRuns;
  const opened = openSessionFile(saveSessionFile(plain.session, plain.tables), { fileName: 'p.smlm' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  await restoreSession(opened);
  expect(experimentStore.getState().experiment).toBeNull();

  experimentWithResults();
  const bad = await captureSession({ appVersion: 't', fingerprint: async () => null });
  (bad.session.steps.experiment as { inputs: unknown[] }).inputs.push({ id: 'a1' });
  // The session's validator checks the section as it checks an EXPERIMENT.json, with the path.
  expect(() => saveSessionFile(bad.session, bad.tables)).toThrow(/steps\.experiment: inputs\[5\]\.path/);
  expect(experimentStore.getState().experiment?.inputs.length).toBe(5);
});

test('the session on screen restored again (a reload, raw files re-attached) keeps the batch queue as it is now; another session replaces it', async () => {
  experimentWithResults();
  const c = await captureSession({ appVersion: 't', fingerprint: async () => null });
  const opened = openSessionFile(saveSessionFile(c.session, c.tables), { fileName: 'exp.smlm' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  // Since the autosave: one more input re-run, and the queue still wants to run.
  experimentActions.rerun('a2');
  const now = experimentStore.getState();
  await restoreSession(opened, { sameSession: true });
  expect(experimentStore.getState().runs).toBe(now.runs);
  expect(experimentStore.getState().wanted).toBe(true);
  // Another session (a file, a link): its experiment is shown, its batch not run.
  await restoreSession(opened);
  expect(experimentStore.getState().runs.a2.status).toBe('done');
  expect(experimentStore.getState().wanted).toBe(false);
});
