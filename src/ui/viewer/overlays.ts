// Overlays over the raw image (detections, fits, tracks, structure outlines, ROIs): a small
// registry any feature fills. A painter draws in screen pixels with the viewer's transform
// handed to it, so markers keep their size at any zoom; positions are camera pixels with the
// origin at the top-left corner of the top-left pixel (pixel i spans [i, i + 1]; a position in
// nm is nm / pixel size). Replacing an overlay (new object) redraws; `visible` is the legend's.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export interface OverlayView {
  /** Screen px per camera px, and the screen position of the image's top-left corner. */
  zoom: number;
  panX: number;
  panY: number;
  /** Visible area in CSS px. */
  width: number;
  height: number;
  /**
   * The raw frame this view stands for when it is not the raw viewer's (the movie player passes
   * its window's centre frame); overlays that mark "now" use it.
   */
  frame?: number;
}

export interface Overlay {
  id: string;
  /** Shown in the legend. */
  label: string;
  /** Legend swatch colour. */
  color: string;
  /** Drawing order: lower first. */
  order?: number;
  /** The context is in CSS px (device pixel ratio already applied). */
  draw(ctx: CanvasRenderingContext2D, view: OverlayView): void;
}

export interface OverlayState {
  overlays: Overlay[];
  hidden: Record<string, boolean>;
  set(o: Overlay): void;
  remove(id: string): void;
  setVisible(id: string, visible: boolean): void;
}

export const overlayStore = createStore<OverlayState>()((set) => ({
  overlays: [],
  hidden: {},
  set: (o) =>
    set((s) => {
      const rest = s.overlays.filter((x) => x.id !== o.id);
      return { overlays: [...rest, o].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)) };
    }),
  remove: (id) =>
    set((s) =>
      s.overlays.some((x) => x.id === id) ? { overlays: s.overlays.filter((x) => x.id !== id) } : s,
    ),
  setVisible: (id, visible) => set((s) => ({ hidden: { ...s.hidden, [id]: !visible } })),
}));

export const useOverlays = <T>(sel: (s: OverlayState) => T): T => useStore(overlayStore, sel);

/** Screen position of a camera-pixel coordinate. */
export function toScreen(v: OverlayView, x: number, y: number): [number, number] {
  return [v.panX + x * v.zoom, v.panY + y * v.zoom];
}
