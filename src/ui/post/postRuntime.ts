// Wires the post-processing and reconstruction machinery to the render worker once, on first
// use (opening the step or the view, or a scripting call), and registers the scripting API.

import { type ColumnArray, type LocTable, locTableFromColumns } from '../../core/locs/table';
import { renderService } from '../../engine/renderService';
import { activeStack, dataStore, effectiveMeta } from '../../state/dataStore';
import { createLocsActions } from '../../state/locsActions';
import { locsStore } from '../../state/locsStore';
import { setProcessedTableSource } from '../../state/movieStore';
import { type PostEngine, startPostEngine } from '../../state/postActions';
import { type ReconRenderer, startReconRenderer } from '../../state/reconActions';
import { reconStore } from '../../state/reconStore';
import { uiStore } from '../../state/uiStore';
import { downloadText } from '../download';

let runtime: { post: PostEngine; recon: ReconRenderer } | null = null;

export function postRuntime() {
  if (!runtime) {
    const backend = renderService.backend;
    runtime = { post: startPostEngine(backend), recon: startReconRenderer(backend) };
    renderService.onCrash = (msg) => {
      uiStore
        .getState()
        .notify(
          'error',
          'The render worker stopped',
          msg,
          'It restarts on its own; the localizations are sent again.',
        );
      runtime?.post.resync();
    };
  }
  return runtime;
}

// A movie of the post-processed table (also one a session rebuilds) starts the engine if needed.
setProcessedTableSource(async () => {
  await postRuntime().post.settled();
  return renderService.backend.processedTable();
});

export const locsActions = createLocsActions({
  parseCsv: (source, name) => renderService.backend.parseCsv(source, name),
  parseLocalizationFile: (files) => renderService.backend.parseLocalizationFile(files),
  exportCsv: () => renderService.backend.exportCsv(),
});

function baseName(): string {
  const src = (locsStore.getState().params as { source?: string } | null)?.source;
  return (src ?? 'localizations').replace(/\.[^.]*$/, '');
}

export async function exportReconstruction(format: 'png' | 'tiff', download: boolean): Promise<number> {
  try {
    await postRuntime().post.settled();
    const bytes = await postRuntime().recon.exportImage(format);
    if (download)
      downloadText(
        `${baseName()}_${reconStore.getState().pixelNm}nm.${format === 'png' ? 'png' : 'tif'}`,
        bytes,
        format === 'png' ? 'image/png' : 'image/tiff',
      );
    return bytes.length;
  } catch (e) {
    uiStore
      .getState()
      .notify(
        'error',
        `Export of the reconstruction as ${format.toUpperCase()} failed`,
        e instanceof Error ? e.message : String(e),
      );
    throw e;
  }
}

export async function exportLocalizationsCsv(): Promise<void> {
  await postRuntime().post.settled();
  const text = await locsActions.exportCsv();
  if (text !== null) downloadText(`${baseName()}_processed.csv`, text, 'text/csv');
}

/** Picasso HDF5 + YAML of the post-processed table, with the stack's camera geometry. */
export async function exportLocalizationsPicasso(): Promise<void> {
  await postRuntime().post.settled();
  const st = activeStack(dataStore.getState());
  const pixelSizeNm = st ? effectiveMeta(st).pixelSizeNm : undefined;
  if (!st || !pixelSizeNm) {
    uiStore
      .getState()
      .notify(
        'warning',
        'Picasso export needs the camera geometry',
        'Open the stack these localizations belong to (Picasso stores positions in camera pixels).',
        'Set its pixel size in Data if the file did not say it.',
      );
    return;
  }
  try {
    const r = await renderService.backend.exportPicasso({
      pixelSizeNm,
      width: st.info.width,
      height: st.info.height,
      frames: st.info.frameCount,
    });
    downloadText(`${baseName()}_locs.hdf5`, r.bytes, 'application/x-hdf5');
    downloadText(`${baseName()}_locs.yaml`, r.yaml, 'text/yaml');
  } catch (e) {
    uiStore.getState().notify('error', 'Picasso export failed', e instanceof Error ? e.message : String(e));
  }
}

/** Columns from a script as typed arrays (frame and channel as integers, the rest as doubles). */
export function toColumns(cols: Record<string, ArrayLike<number>>): LocTable {
  const typed: Record<string, ColumnArray> = {};
  for (const [k, v] of Object.entries(cols))
    typed[k] = k === 'frame' || k === 'channel' ? Uint32Array.from(v) : Float64Array.from(v);
  return locTableFromColumns(typed);
}
