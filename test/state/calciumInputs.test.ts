// Ca²⁺ results belong to their stack, like the other steps': two Ca²⁺ stacks, each with its own
// cells, table and ΔF/F₀ → switching shows each one's own → a session keeps both (the one not on
// screen too) → opened into a fresh workbench, switching brings each back, traces identical.
import { expect, test } from 'vitest';
import type { CellRow } from '../../src/core/calcium';
import { openSessionFile, saveSessionFile } from '../../src/core/session/index';
import { presetParams } from '../../src/core/sim/presets';
import {
  calciumStore,
  defaultCalciumParams,
  encodeLabels,
  type SavedCalcium,
} from '../../src/state/calciumStore';
import { dataStore } from '../../src/state/dataStore';
import { captureSession, restoreSession } from '../../src/state/sessionCapture';
import { fakeActions, fingerprint } from './sessionFixtures';

function saved(info: Parameters<typeof defaultCalciumParams>[0], seed: number): SavedCalcium {
  const frames = info.frameCount;
  const labels = new Int32Array(64 * 48);
  labels.fill(1, 10 * seed, 10 * seed + 30);
  const cell = { cell: 1, xPx: seed, yPx: 2, areaPx: 30, f0: 100 * seed, responder: seed % 2 === 1 };
  return {
    params: { ...defaultCalciumParams(info), k: 2 + seed },
    width: 64,
    height: 48,
    labelsRle: encodeLabels(labels),
    cellSource: 'edited',
    meanImage: Float32Array.from({ length: 64 * 48 }, (_, i) => seed + i / 7),
    result: {
      cells: [{ ...cell, latencyFrames: 3, latencyS: 1.5, peakDff: seed / 3 } as CellRow],
      summary: {
        cells: 1,
        responders: cell.responder ? 1 : 0,
        fraction: cell.responder ? 1 : 0,
        ci95: [0.2, 1],
        medianLatencyS: 1.5,
        medianPeakDff: seed / 3,
      },
      alpha: 1e-4,
      frames,
      dff: Float32Array.from({ length: frames }, (_, f) => Math.sin(f * seed) / 3),
    },
  };
}

test('each Ca²⁺ stack keeps its own result through switching and a session', async () => {
  const actions = fakeActions();
  await actions.openRecipe({ kind: 'simulated', params: presetParams('calcium') }, 'first');
  await actions.openRecipe({ kind: 'simulated', params: presetParams('calciumNull') }, 'second');
  const [a, b] = dataStore.getState().stacks.map((s) => s.info);
  const d = dataStore.getState;

  d().setActive(a.id);
  const sa = saved(a, 1);
  calciumStore.getState().loadSaved(sa, a.id);
  d().setActive(b.id);
  // The other stack starts empty: nothing computed on the first is offered for it.
  expect(calciumStore.getState().result).toBeNull();
  const sb = saved(b, 2);
  calciumStore.getState().loadSaved(sb, b.id);
  d().setActive(a.id);
  expect(calciumStore.getState().stackId).toBe(a.id);
  expect(calciumStore.getState().result?.dff).toEqual(sa.result!.dff);
  expect(calciumStore.getState().params?.k).toBe(3);
  d().setActive(b.id);
  expect(calciumStore.getState().result?.dff).toEqual(sb.result!.dff);

  // Saved with the second on screen: the first's Ca²⁺ result goes too.
  const cap = await captureSession({ appVersion: 't', fingerprint });
  expect(cap.session.others?.some((o) => o.steps.calcium !== undefined)).toBe(true);
  const opened = openSessionFile(saveSessionFile(cap.session, cap.tables), { fileName: 'two.smlm' });
  if (!opened.ok) throw new Error(opened.errors.join('; '));
  calciumStore.getState().clear();
  const report = await restoreSession(opened, { actions: fakeActions() });
  expect(report.warnings).toEqual([]);
  const [a2, b2] = d().stacks.map((s) => s.info);
  expect(d().activeId).toBe(b2.id);
  expect(calciumStore.getState().stackId).toBe(b2.id);
  expect(calciumStore.getState().result?.dff).toEqual(sb.result!.dff);
  expect(calciumStore.getState().meanImage).toEqual(sb.meanImage);
  d().setActive(a2.id);
  expect(calciumStore.getState().stackId).toBe(a2.id);
  expect(calciumStore.getState().result?.dff).toEqual(sa.result!.dff);
  expect(calciumStore.getState().result?.cells[0].f0).toBe(100);
  expect(calciumStore.getState().params?.k).toBe(3);
});
