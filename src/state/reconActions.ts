// Drives the render worker for the reconstruction view: re-renders the visible region when the
// view, the settings or the processed localizations change (newest request only), keeps the
// view fitted to the field while `fit` is on, and exports the whole field.

import { latestOnly } from '../engine/latestOnly';
import type { ExportRequest, RenderBackend } from '../engine/renderService';
import { dataStore, effectiveMeta } from './dataStore';
import { locsStore } from './locsStore';
import { postStore } from './postStore';
import { reconStore, visibleView } from './reconStore';

type Field = { x0: number; y0: number; x1: number; y1: number };

/** The camera field of the stack the localizations belong to, in nm, if its pixel size is known. */
export function cameraFieldNm(): { width: number; height: number } | undefined {
  const { stacks } = dataStore.getState();
  const id = locsStore.getState().stackId;
  const st = stacks.find((s) => s.info.id === id);
  const px = st ? effectiveMeta(st).pixelSizeNm : undefined;
  return st && px ? { width: st.info.width * px, height: st.info.height * px } : undefined;
}

/** What "fit" shows: the camera field grown to the localizations, or the localizations alone. */
export function fieldOfView(): Field | null {
  const cam = cameraFieldNm();
  const b = postStore.getState().summary?.bounds ?? null;
  if (!cam) return b;
  if (!b) return { x0: 0, y0: 0, x1: cam.width, y1: cam.height };
  return {
    x0: Math.min(0, b.x0),
    y0: Math.min(0, b.y0),
    x1: Math.max(cam.width, b.x1),
    y1: Math.max(cam.height, b.y1),
  };
}

export interface ReconRenderer {
  /** Resolves after an image rendered after this call arrived. */
  settled(): Promise<void>;
  exportImage(format: ExportRequest['format']): Promise<Uint8Array>;
  stop(): void;
}

export function startReconRenderer(backend: RenderBackend): ReconRenderer {
  let seq = 0;
  const waiters: { after: number; done(): void }[] = [];
  const release = (id: number) => {
    for (const w of waiters.splice(0)) {
      if (w.after <= id) w.done();
      else waiters.push(w);
    }
  };
  const runner = latestOnly(
    async (id: number) => {
      const s = reconStore.getState();
      return { id, img: await backend.render({ view: visibleView(s), settings: s.settings }) };
    },
    ({ id, img }) => {
      reconStore.getState().setImage(img);
      release(id);
    },
    (err, id) => {
      reconStore.getState().setError(err instanceof Error ? err.message : String(err));
      release(id);
    },
  );
  const request = () => {
    const s = reconStore.getState();
    if (s.viewport.w <= 0 || s.viewport.h <= 0) return;
    if (locsStore.getState().count === 0 && postStore.getState().status !== 'done') return;
    runner.request(++seq);
  };
  const refit = () => {
    if (reconStore.getState().fit) reconStore.getState().fitTo(fieldOfView());
  };

  const unsubRecon = reconStore.subscribe((s, p) => {
    if (s.viewport !== p.viewport || (s.fit && !p.fit)) refit();
    if (
      s.settings !== p.settings ||
      s.cx !== p.cx ||
      s.cy !== p.cy ||
      s.nmPerPx !== p.nmPerPx ||
      s.viewport !== p.viewport
    )
      request();
  });
  const unsubPost = postStore.subscribe((s, p) => {
    if (s.processedVersion === p.processedVersion) return;
    refit();
    request();
  });
  refit();
  request();

  return {
    settled: () =>
      new Promise<void>((done) => {
        const before = seq;
        request();
        if (seq === before)
          done(); // nothing to render
        else waiters.push({ after: seq, done });
      }),
    exportImage: (format) => {
      const s = reconStore.getState();
      return backend.exportImage({
        format,
        pixelNm: s.pixelNm,
        settings: s.settings,
        fieldNm: cameraFieldNm(),
        scaleBar: s.scaleBar,
      });
    },
    stop: () => {
      unsubRecon();
      unsubPost();
    },
  };
}
