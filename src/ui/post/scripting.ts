// window.evscope functions of Post-process: steps, drift, reconstruction, NeNA/FRC, and feeding
// localizations from a script.
import { parsePipeline } from '../../core/locs/pipeline';
import { registerScripting } from '../../scripting/api';
import { dataStore } from '../../state/dataStore';
import { locsStore } from '../../state/locsStore';
import { postStore } from '../../state/postStore';
import { reconStore } from '../../state/reconStore';
import { exportReconstruction, locsActions, postRuntime, toColumns } from './postRuntime';

registerScripting('postProcess', async (steps: unknown) => {
  const rt = postRuntime();
  postStore.getState().setSteps(parsePipeline(steps));
  const s = await rt.post.settled();
  return { rowsIn: s.rowsIn, rowsOut: s.rowsOut, stats: s.stats, columns: s.columns };
});
registerScripting('postSteps', () => postStore.getState().steps);
registerScripting('undoPost', () => postStore.getState().undo());
registerScripting('redoPost', () => postStore.getState().redo());
registerScripting('driftTrace', () => {
  const d = postStore.getState().summary?.drift;
  return d
    ? {
        method: d.method,
        dx: Array.from(d.dx),
        dy: Array.from(d.dy),
        applied: d.applied,
        reliable: d.quality?.reliable ?? null,
        problems: d.quality?.problems ?? [],
        notes: d.quality?.notes ?? [],
      }
    : null;
});
registerScripting('reconstructionStats', async () => {
  const rt = postRuntime();
  await rt.post.settled();
  await rt.recon.settled();
  const img = reconStore.getState().image;
  return img
    ? { width: img.width, height: img.height, pixelNm: img.view.pixelNm, sum: img.sum, count: img.count }
    : null;
});
registerScripting('exportReconstruction', (format: 'png' | 'tiff') => exportReconstruction(format, false));
registerScripting('nena', async () => {
  const rt = postRuntime();
  await rt.post.settled();
  await rt.post.computeNena();
  const n = postStore.getState().nena;
  return n.status === 'done'
    ? {
        sigmaNm: n.result.sigmaNm,
        pairs: n.result.pairs,
        beforeMerge: n.result.beforeMerge ?? false,
        ...(n.result.warning ? { warning: n.result.warning } : {}),
      }
    : n;
});
registerScripting('frc', async () => {
  const rt = postRuntime();
  await rt.post.settled();
  await rt.post.computeFrc();
  const f = postStore.getState().frc;
  return f.status === 'done' ? { resolutionNm: f.result.resolutionNm } : f;
});
/** Streams a chunk into the current run, as a localization worker would (tests, custom loaders). */
registerScripting('appendLocalizations', (cols: Record<string, ArrayLike<number>>) => {
  postRuntime();
  const s = locsStore.getState();
  if (s.status !== 'running') s.startRun(dataStore.getState().activeId, { source: 'script' }, 0);
  locsStore.getState().append(toColumns(cols));
  return locsStore.getState().count;
});
registerScripting('finishLocalizations', () => locsStore.getState().finish('done'));
/** Onto the stack on screen (replacing its localizations), or with `asTable` as an input of its own. */
registerScripting(
  'importLocalizationsCsv',
  async (text: string, fileName = 'localizations.csv', asTable = false) => {
    postRuntime();
    return locsActions.importCsv(new Blob([text]), fileName, asTable);
  },
);
