// The Ca²⁺ step through a session file: parameters, edited cells, the per-cell table (with its
// NaNs), every cell's ΔF/F₀ and the mean image come back as saved, bit for bit; a damaged section
// is refused by its schema with a reason.
import { expect, test } from 'vitest';
import { openSessionFile, saveSessionFile } from '../../src/core/session/index';
import { presetParams } from '../../src/core/sim/presets';
import { parseSavedCalcium } from '../../src/state/calciumSession';
import { calciumStore, defaultCalciumParams, encodeLabels } from '../../src/state/calciumStore';
import { dataStore } from '../../src/state/dataStore';
import { captureSession, restoreSession } from '../../src/state/sessionCapture';
import { fakeActions, fingerprint } from './sessionFixtures';

test('the Ca²⁺ step survives save → open → restore', async () => {
  const actions = fakeActions();
  await actions.openRecipe({ kind: 'simulated', params: presetParams('calcium') }, 'calcium');
  const info = dataStore.getState().stacks[0].info;
  const labels = new Int32Array(64 * 48);
  labels.fill(1, 100, 140);
  labels.fill(2, 1000, 1100);
  const params = { ...defaultCalciumParams(info), k: 2.5, bleach: 'exp' as const };
  const cell = (n: number, responder: boolean) => ({
    cell: n,
    xPx: 10.5,
    yPx: 3.25,
    areaPx: 40,
    f0: 123.4,
    baselineSd: 0.01,
    threshold: 0.025,
    responder,
    latencyFrames: responder ? 7 : Number.NaN,
    latencyS: responder ? 3.5 : Number.NaN,
    peakDff: 0.8,
    peakFrame: 40,
    aucDffS: 12,
    transients: responder ? 1 : 0,
    bleachRatePerFrame: 0.0003,
    note: '',
  });
  // ΔF/F₀ as a run leaves it: Float32 values that are not round in decimal, and NaN (no F₀).
  const frames = 400;
  const dff = Float32Array.from({ length: 2 * frames }, (_, i) =>
    i === frames + 3 ? Number.NaN : Math.sin(i * 0.37) * 0.1 + (i % frames > 100 ? 0.8 : 0),
  );
  const meanImage = Float32Array.from({ length: 64 * 48 }, (_, i) => 100 + Math.cos(i) * 7.3);
  calciumStore.getState().loadSaved(
    {
      params,
      width: 64,
      height: 48,
      labelsRle: encodeLabels(labels),
      cellSource: 'edited',
      meanImage,
      result: {
        cells: [cell(1, true), cell(2, false)],
        summary: {
          cells: 2,
          responders: 1,
          fraction: 0.5,
          ci95: [0.09, 0.91],
          medianLatencyS: 3.5,
          medianPeakDff: 0.8,
        },
        alpha: 1e-6,
        frames,
        dff,
      },
    },
    info.id,
  );
  const first = await captureSession({ appVersion: 't', fingerprint });
  expect(first.session.steps.calcium).toBeDefined();
  const opened = openSessionFile(saveSessionFile(first.session, first.tables), { fileName: 'x.smlm' });
  if (!opened.ok) throw new Error(opened.errors.join('; '));
  calciumStore.getState().clear();
  const report = await restoreSession(opened, { actions: fakeActions() });
  expect(report.warnings).toEqual([]);
  const s = calciumStore.getState();
  expect(s.params).toEqual(params);
  expect(Array.from(s.labels ?? [])).toEqual(Array.from(labels));
  expect(s.count).toBe(2);
  expect(s.cellSource).toBe('edited');
  expect(s.result?.cells[1].latencyS).toBeNaN();
  expect(s.result?.cells[0].latencyS).toBe(3.5);
  expect(s.result?.summary.ci95).toEqual([0.09, 0.91]);
  expect(s.stackId).toBe(dataStore.getState().stacks[0].info.id);
  // The traces travel as a binary table and come back identical (NaN included).
  expect(first.tables.map((t) => t.name)).toEqual(
    expect.arrayContaining(['calcium_dff', 'calcium_mean_image']),
  );
  expect(s.result?.dff).toBeInstanceOf(Float32Array);
  expect(new Uint8Array(s.result!.dff!.buffer)).toEqual(new Uint8Array(dff.buffer));
  expect(s.meanImage).toEqual(meanImage);
  expect(s.result?.traces).toBeNull();

  const again = await captureSession({ appVersion: 't', fingerprint });
  expect(again.session.steps.calcium).toEqual(first.session.steps.calcium);

  // A damaged section is refused by the step's own schema, in words.
  const bad = {
    ...first.session,
    steps: { ...first.session.steps, calcium: { width: 64, height: 48, labelsRle: '1,5' } },
  };
  expect(() => saveSessionFile(bad as never, first.tables)).toThrow(
    /steps\.calcium: the cell outlines do not cover/,
  );
  expect(() => parseSavedCalcium({ width: 64, height: 48, labelsRle: '0,3072' } as never)).toThrow(
    /addFrame/,
  );
  expect(() => parseSavedCalcium({ width: 0, height: 48, labelsRle: '' } as never)).toThrow(/width/);

  // Traces that do not match the table (cells × frames) are left out in words; the table stays.
  const short = first.tables.map((t) =>
    t.name === 'calcium_dff'
      ? {
          ...t,
          length: 10,
          columns: Object.fromEntries(Object.keys(t.columns).map((k) => [k, new Float32Array(10)])),
        }
      : t,
  );
  const reopened = openSessionFile(saveSessionFile(first.session, short), { fileName: 'y.smlm' });
  if (!reopened.ok) throw new Error(reopened.errors.join('; '));
  const r2 = await restoreSession(reopened, { actions: fakeActions() });
  expect(r2.warnings.join(' ')).toMatch(/ΔF\/F₀ table has 10 values, not 2 cells × 400 frames/);
  expect(calciumStore.getState().result?.cells).toHaveLength(2);
  expect(calciumStore.getState().result?.dff).toBeNull();
  expect(calciumStore.getState().meanImage).toEqual(meanImage);

  // A section written before the arrays travelled (no "arrays") restores its table without traces.
  const { arrays: _a, ...older } = first.session.steps.calcium as Record<string, unknown>;
  const old = openSessionFile(
    saveSessionFile({ ...first.session, steps: { ...first.session.steps, calcium: older as never } }, []),
    { fileName: 'z.smlm' },
  );
  if (!old.ok) throw new Error(old.errors.join('; '));
  const r3 = await restoreSession(old, { actions: fakeActions() });
  expect(r3.warnings).toEqual([]);
  expect(calciumStore.getState().result?.cells[0].latencyS).toBe(3.5);
  expect(calciumStore.getState().result?.dff).toBeNull();
  expect(calciumStore.getState().notes.join(' ')).toMatch(/run again for the traces/);
});
