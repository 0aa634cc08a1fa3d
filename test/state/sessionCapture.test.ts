// Capture → .smlm bytes → open → restore → capture again gives the same session: stacks (a
// simulation by its parameters, a file by name, size and fingerprint), localizations bit for bit,
// every step's parameters and the view.
import { beforeEach, expect, test } from 'vitest';
import { allocColumn } from '../../src/core/locs/table';
import { fingerprintBytes, openSessionFile, saveSessionFile } from '../../src/core/session/index';
import { presetParams } from '../../src/core/sim/presets';
import type { StackInfo, StackRecipe } from '../../src/engine/stackService';
import { makeDataActions } from '../../src/state/dataActions';
import { dataStore } from '../../src/state/dataStore';
import { localizeParamsStore } from '../../src/state/localizeParamsStore';
import { locsStore } from '../../src/state/locsStore';
import { postStore } from '../../src/state/postStore';
import { reconStore } from '../../src/state/reconStore';
import { captureSession, restoreSession } from '../../src/state/sessionCapture';
import { uiStore } from '../../src/state/uiStore';
import { viewerStore } from '../../src/state/viewerStore';

let nextId = 100;
function fakeActions() {
  const service = {
    openRecipe: async (recipe: StackRecipe, _id: number, label: string) => {
      const info: StackInfo = {
        id: nextId++,
        name: label,
        files: [],
        recipe,
        width: 64,
        height: 48,
        frameCount: 500,
        channels: 2,
        dtype: 'uint16',
        meta: { flavour: 'multipage', byteOrder: 'little' },
      };
      return { ok: true as const, info };
    },
    close: () => {},
    cancel: () => {},
  };
  return makeDataActions(service as never);
}

const fingerprint = async (b: Blob) => fingerprintBytes(new Uint8Array(await b.arrayBuffer()));

function locs(n: number) {
  const frame = allocColumn('u32', n);
  const x = allocColumn('f64', n);
  const photons = allocColumn('f32', n);
  for (let i = 0; i < n; i++) {
    frame[i] = i >> 2;
    x[i] = i * 12.5 + 0.1;
    photons[i] = 1000 + i;
  }
  return { length: n, columns: { frame, x, y: x.slice(), photons } };
}

beforeEach(() => {
  dataStore.setState({ stacks: [], activeId: null, loading: null });
  locsStore.getState().clear();
  postStore.setState({ steps: [], past: [], future: [] });
});

test('a session survives capture → file → open → restore unchanged', async () => {
  const actions = fakeActions();
  await actions.openRecipe({ kind: 'simulated', params: presetParams('demo') }, 'demo');
  const sim = dataStore.getState().activeId!;
  const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  await actions.openRecipe(
    { kind: 'files', files: [{ name: 'cells.tif', blob: new Blob([bytes]) }] },
    'cells.tif',
  );
  dataStore.getState().setOverride(sim, 'pixelSizeNm', 107);
  actions.select(sim);
  localizeParamsStore.getState().set({ thresholdFactor: 1.5, firstFrame: 1, lastFrame: 40 });
  const plan = {
    stackId: sim,
    channel: 0,
    params: { pixelSizeNm: 107, sigmaNm: 130 },
    frames: { start: 0, end: 40 },
    roi: undefined,
  };
  locsStore.getState().load(sim, locs(1001), { kind: 'localize', signature: JSON.stringify(plan), plan });
  postStore.getState().setSteps([{ kind: 'filter', expression: 'photons > 1200' } as never]);
  uiStore.getState().setActiveStep('post');
  uiStore.getState().setCentreView('reconstruction');
  viewerStore.getState().setFrame(17);
  reconStore.getState().setPixelNm(15);

  const first = await captureSession({ appVersion: 't', fingerprint, now: new Date('2026-01-02T03:04:05Z') });
  expect(first.session.inputs).toEqual([
    { id: 'in1', name: 'cells.tif', size: 8, fingerprint: fingerprintBytes(bytes), role: 'stack' },
  ]);
  expect(first.session.stacks.map((s) => s.recipe.kind)).toEqual(['simulated', 'files']);
  expect(first.session.stacks[0].meta).toEqual({ pixelSizeNm: 107 });
  expect(first.session.steps.localize).toEqual(plan.params);

  const file = saveSessionFile(first.session, first.tables);
  const opened = openSessionFile(file, { fileName: 'a.smlm' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));

  // Scramble the workbench so restore has to put everything back.
  localizeParamsStore.getState().reset();
  postStore.getState().setSteps([]);
  uiStore.getState().setActiveStep('data');
  reconStore.getState().setPixelNm(40);
  const report = await restoreSession(opened, { actions });
  expect(report.opened).toEqual(['demo']);
  expect(report.missing.map((m) => [m.label, m.inputs.map((i) => i.name)])).toEqual([
    ['cells.tif', ['cells.tif']],
  ]);
  expect(localizeParamsStore.getState().settings.thresholdFactor).toBe(1.5);
  expect(locsStore.getState().count).toBe(1001);

  const again = await captureSession({ appVersion: 't', fingerprint, now: new Date('2026-01-02T03:04:05Z') });
  // The file stack stays missing until its raw data is dropped in, so only the simulation is back.
  const { inputs: _i, stacks: firstStacks, ...restFirst } = first.session;
  const { inputs: _j, stacks: againStacks, ...restAgain } = again.session;
  expect(againStacks).toEqual([firstStacks[0]]);
  expect(restAgain).toEqual(restFirst);
  expect(again.tables.length).toBe(1);
  for (const [k, c] of Object.entries(first.tables[0].columns)) {
    expect(again.tables[0].columns[k]).toEqual(c);
    expect(again.tables[0].columns[k].constructor).toBe(c.constructor);
  }

  // Re-attaching the raw file brings its stack back too.
  const withFile = await restoreSession(opened, {
    actions,
    files: new Map([['in1', new File([bytes], 'cells.tif')]]),
  });
  expect(withFile.missing).toEqual([]);
  const full = await captureSession({ appVersion: 't', fingerprint, now: new Date('2026-01-02T03:04:05Z') });
  expect(full.session.inputs).toEqual(first.session.inputs);
  expect(full.session.stacks).toEqual(first.session.stacks);
});

test('a session whose stack cannot be re-created leaves the current work as it was', async () => {
  const actions = fakeActions();
  await actions.openRecipe({ kind: 'simulated', params: presetParams('demo') }, 'my work');
  const mine = dataStore.getState().activeId!;
  locsStore.getState().load(mine, locs(40), { source: 'mine' });
  postStore.getState().setSteps([{ kind: 'filter', expression: 'photons > 1' }]);
  const session = await captureSession({ appVersion: 't', fingerprint });
  // The received session: two simulated stacks, of which the second fails to open (in the app:
  // the stack worker runs out of memory or refuses it).
  const demo = session.session.stacks[0];
  const hostile = {
    ...session.session,
    stacks: [
      { ...demo, id: 'a', label: 'first' },
      { ...demo, id: 'b', label: 'second' },
    ],
    view: { ...session.session.view, activeStack: 'a' },
  };
  const opened = openSessionFile(saveSessionFile(hostile, [{ ...session.tables[0], stack: 'a' }]), {
    fileName: 'x.smlm',
    appVersion: 't',
  });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  const failing = {
    ...actions,
    openRecipe: async (recipe: StackRecipe, label: string) =>
      label === 'second' ? false : actions.openRecipe(recipe, label),
  };
  await expect(restoreSession(opened, { actions: failing })).rejects.toThrow(
    /stack "second" could not be re-created/,
  );
  // The staged first stack is closed again; the user's stack, table and pipeline are untouched.
  expect(dataStore.getState().stacks.map((s) => s.info.name)).toEqual(['my work']);
  expect(dataStore.getState().activeId).toBe(mine);
  expect(locsStore.getState().count).toBe(40);
  expect(locsStore.getState().stackId).toBe(mine);
  expect(postStore.getState().steps).toEqual([{ kind: 'filter', expression: 'photons > 1' }]);
});
