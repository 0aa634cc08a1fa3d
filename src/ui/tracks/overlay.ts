// Tracks over the raw frames (overlayStore): each track as a polyline in camera pixels, coloured
// by time along the track or by its distance to the nearest structure (inside / within the
// cut-off / beyond), with a dot where the EV is in the frame on screen. Redrawn when the tracks,
// the distances, the colouring, the selection or the frame change.

import { PHYSICAL_DEFAULTS } from '../../core/physicalDefaults';
import { movieBlockOffset } from '../../core/spt/blocks';
import { trackRanges } from '../../core/spt/types';
import { activeStack, dataStore, effectiveMeta } from '../../state/dataStore';
import { type TracksState, tracksStore } from '../../state/tracksStore';
import { viewerStore } from '../../state/viewerStore';
import { type OverlayView, overlayStore, toScreen } from '../viewer/overlays';

const ID = 'tracks';
const INSIDE = '#ff5d5d';
const WITHIN = '#f0a43a';
const BEYOND = '#4e9cf5';

/** Colour of a point at fraction u ∈ [0, 1] of the track's time: blue → yellow. */
function timeColour(u: number): string {
  return `hsl(${Math.round(220 - 170 * u)}, 85%, 60%)`;
}

/** Distance of each track row from its movie frame (NaN where not measured). */
function rowDistances(s: TracksState): Float64Array | null {
  const d = s.distances;
  const t = s.tracks;
  if (!d || !t || s.distancesTracks !== t) return null;
  const { step, window } = d;
  const off = movieBlockOffset(step, window);
  const key = new Map<string, number>();
  const c = d.coloc.distances.columns;
  for (let i = 0; i < c.track.length; i++) key.set(`${c.track[i]}:${c.frame[i]}`, c.distance[i]);
  const tc = t.tracks.columns;
  return Float64Array.from(
    tc.frame,
    (f, i) => key.get(`${tc.track[i]}:${Math.floor(f / step) - off}`) ?? Number.NaN,
  );
}

function update() {
  const s = tracksStore.getState();
  const ds = dataStore.getState();
  const st = activeStack(ds);
  if (!s.tracks || !s.showOverlay || !st || s.tracksStackId !== st.info.id) {
    overlayStore.getState().remove(ID);
    return;
  }
  const px = effectiveMeta(st).pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm;
  const t = s.tracks.tracks;
  const { ids, start } = trackRanges(t);
  const c = t.columns;
  const byDistance = s.colouring === 'distance' ? rowDistances(s) : null;
  const cutoff = s.params?.cutoffNm ?? 240;
  const rawFrame = viewerStore.getState().frame;
  const selected = s.selectedTrack;
  overlayStore.getState().set({
    id: ID,
    label: byDistance ? 'EV tracks (distance)' : 'EV tracks (time)',
    color: WITHIN,
    order: 20,
    draw(ctx: CanvasRenderingContext2D, v: OverlayView) {
      const frame = v.frame ?? rawFrame;
      ctx.lineWidth = 1.2;
      for (let k = 0; k < ids.length; k++) {
        const a = start[k];
        const b = start[k + 1];
        const f0 = c.frame[a];
        const span = Math.max(1, c.frame[b - 1] - f0);
        const bold = ids[k] === selected;
        ctx.lineWidth = bold ? 2.5 : 1.2;
        for (let i = a + 1; i < b; i++) {
          const [x0, y0] = toScreen(v, c.x[i - 1] / px, c.y[i - 1] / px);
          const [x1, y1] = toScreen(v, c.x[i] / px, c.y[i] / px);
          if (byDistance) {
            const d = byDistance[i];
            ctx.strokeStyle = Number.isNaN(d) ? '#7a818b' : d < 0 ? INSIDE : d <= cutoff ? WITHIN : BEYOND;
          } else ctx.strokeStyle = timeColour((c.frame[i] - f0) / span);
          ctx.beginPath();
          ctx.moveTo(x0, y0);
          ctx.lineTo(x1, y1);
          ctx.stroke();
        }
        if (frame >= f0 && frame <= c.frame[b - 1]) {
          // The EV in the frame on screen (or its last position before a gap).
          let i = a;
          while (i + 1 < b && c.frame[i + 1] <= frame) i++;
          const [x, y] = toScreen(v, c.x[i] / px, c.y[i] / px);
          ctx.fillStyle = bold ? '#ffffff' : '#ffd866';
          ctx.beginPath();
          ctx.arc(x, y, bold ? 4 : 3, 0, 2 * Math.PI);
          ctx.fill();
          if (bold) {
            ctx.font = '11px system-ui, sans-serif';
            ctx.fillText(`track ${ids[k]}`, x + 6, y - 6);
          }
        }
      }
    },
  });
}

let installed = false;

export function installTrackOverlay(): void {
  if (installed) return;
  installed = true;
  tracksStore.subscribe((s, prev) => {
    if (
      s.tracks !== prev.tracks ||
      s.distances !== prev.distances ||
      s.colouring !== prev.colouring ||
      s.showOverlay !== prev.showOverlay ||
      s.selectedTrack !== prev.selectedTrack ||
      s.params?.cutoffNm !== prev.params?.cutoffNm
    )
      update();
  });
  viewerStore.subscribe((s, prev) => {
    if (s.frame !== prev.frame && tracksStore.getState().tracks) update();
  });
  dataStore.subscribe((s, prev) => {
    if (s.activeId !== prev.activeId || s.stacks !== prev.stacks) update();
  });
}

installTrackOverlay();
