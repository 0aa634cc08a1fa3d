// Shows an EV in the raw viewer: the viewer has no overlay layer yet, so the EV is centred at a
// zoom where its ROI is clearly visible, on the first analysed frame (before bleaching).
import type { MarkersResult } from '../../engine/markersService';
import { uiStore } from '../../state/uiStore';
import { clampFrame, viewerStore } from '../../state/viewerStore';

/** Screen pixels per camera pixel when showing one EV. */
const EV_ZOOM = 12;

export function showEvInViewer(r: MarkersResult, row: number, pixelSizeNm = pixelSizeOf(r)): void {
  const xPx = Number(r.columns.x[row]) / pixelSizeNm;
  const yPx = Number(r.columns.y[row]) / pixelSizeNm;
  uiStore.getState().setCentreView('raw');
  const v = viewerStore.getState();
  const zoom = Math.max(v.zoom, EV_ZOOM);
  viewerStore.setState({
    fit: false,
    zoom,
    panX: v.viewport.w / 2 - xPx * zoom,
    panY: v.viewport.h / 2 - yPx * zoom,
    frame: clampFrame(r.frameStart, v.frameCount),
    playing: false,
  });
}

/** The pixel size the result's nm positions were made with (x = px · size, recorded per run). */
function pixelSizeOf(r: MarkersResult): number {
  return r.pixelSizeNm;
}
