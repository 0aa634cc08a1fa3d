// What the viewer shows and how: frame, playback, zoom/pan, contrast and colour per channel.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { ColormapName } from '../core/display/colormaps';
import { FIT_MARGIN, fitView, IMAGE_ZOOM, panView, type View2D, zoomAbout } from '../core/display/view2d';
import type { ChannelDisplay } from '../core/display/viewSettings';
import type { ChannelLayout } from '../engine/stackService';

export type { ChannelDisplay } from '../core/display/viewSettings';

export const MIN_ZOOM = IMAGE_ZOOM.min;
export const MAX_ZOOM = IMAGE_ZOOM.max;
export { FIT_MARGIN };

export interface ViewerState {
  frame: number;
  frameCount: number;
  playing: boolean;
  fps: number;
  /** Screen px per image px. */
  zoom: number;
  /** Screen position of the image's top-left corner. */
  panX: number;
  panY: number;
  /** While true the image follows the window size. */
  fit: boolean;
  viewport: { w: number; h: number };
  image: { w: number; h: number };
  layout: ChannelLayout;
  /** Channel shown when layout is 'single'. */
  channel: number;
  channels: ChannelDisplay[];
  /** Percentiles for auto-contrast. */
  lowPct: number;
  highPct: number;
  /** Re-derive the window from every frame (ThunderSTORM-like) instead of fixing it. */
  autoEveryFrame: boolean;
  /** The next rendered frame sets min/max from its percentiles. */
  pendingAuto: boolean;

  resetForStack(frameCount: number, channels: number): void;
  setFrame(f: number): void;
  step(delta: number): void;
  setPlaying(p: boolean): void;
  setFps(fps: number): void;
  setViewport(w: number, h: number): void;
  setImageSize(w: number, h: number): void;
  fitToWindow(): void;
  zoomAt(factor: number, sx?: number, sy?: number): void;
  panBy(dx: number, dy: number): void;
  setLayout(l: ChannelLayout): void;
  setChannel(c: number): void;
  setColormap(c: number, m: ColormapName): void;
  /** False (and nothing changes) unless min < max, both finite. */
  setWindow(c: number, min: number, max: number): boolean;
  requestAuto(): void;
  setAutoEveryFrame(on: boolean): void;
  /** Results of an auto-contrast render arrive here. */
  applyAutoWindows(windows: { channel: number; min: number; max: number }[]): void;
}

const DEFAULT_MAPS: ColormapName[] = ['gray', 'magenta'];

export function clampFrame(f: number, count: number): number {
  if (count <= 0) return 0;
  return Math.max(0, Math.min(count - 1, Math.round(f)));
}

export function fitTransform(viewport: { w: number; h: number }, image: { w: number; h: number }): View2D {
  return fitView(viewport, image, IMAGE_ZOOM);
}

/** zoomAt / panBy of a store holding an image view (the raw viewer, the movie player). */
export function imageViewActions<S extends View2D & { viewport: { w: number; h: number } }>(
  image: (s: S) => { w: number; h: number },
) {
  return {
    zoomAt: (s: S, factor: number, sx?: number, sy?: number) => ({
      ...zoomAbout(s, factor, sx ?? s.viewport.w / 2, sy ?? s.viewport.h / 2, IMAGE_ZOOM),
      fit: false,
    }),
    panBy: (s: S, dx: number, dy: number) => ({ ...panView(s, dx, dy, s.viewport, image(s)), fit: false }),
  };
}

const view = imageViewActions<ViewerState>((s) => s.image);

export const viewerStore = createStore<ViewerState>()((set, get) => ({
  frame: 0,
  frameCount: 0,
  playing: false,
  fps: 20,
  zoom: 1,
  panX: 0,
  panY: 0,
  fit: true,
  viewport: { w: 0, h: 0 },
  image: { w: 0, h: 0 },
  layout: 'single',
  channel: 0,
  channels: [{ colormap: 'gray', min: 0, max: 1 }],
  lowPct: 0.1,
  highPct: 99.9,
  autoEveryFrame: false,
  pendingAuto: true,

  resetForStack: (frameCount, channels) =>
    set({
      frame: 0,
      frameCount,
      playing: false,
      fit: true,
      layout: channels === 2 ? 'overlay' : 'single',
      channel: 0,
      channels: Array.from({ length: channels }, (_, c) => ({
        colormap: channels === 2 ? (c === 0 ? 'green' : 'magenta') : (DEFAULT_MAPS[c] ?? 'gray'),
        min: 0,
        max: 1,
      })),
      pendingAuto: true,
    }),
  setFrame: (f) => set((s) => ({ frame: clampFrame(f, s.frameCount) })),
  step: (d) => set((s) => ({ frame: clampFrame(s.frame + d, s.frameCount) })),
  setPlaying: (playing) => set((s) => ({ playing: playing && s.frameCount > 1 })),
  setFps: (fps) => set({ fps: Math.max(1, Math.min(200, Math.round(fps))) }),
  setViewport: (w, h) =>
    set((s) => {
      const viewport = { w, h };
      return s.fit ? { viewport, ...fitTransform(viewport, s.image) } : { viewport };
    }),
  setImageSize: (w, h) => {
    const s = get();
    if (s.image.w === w && s.image.h === h) return;
    const image = { w, h };
    set(s.fit ? { image, ...fitTransform(s.viewport, image) } : { image });
  },
  fitToWindow: () => set((s) => ({ fit: true, ...fitTransform(s.viewport, s.image) })),
  zoomAt: (factor, sx, sy) => set((s) => view.zoomAt(s, factor, sx, sy)),
  panBy: (dx, dy) => set((s) => view.panBy(s, dx, dy)),
  setLayout: (layout) => set({ layout }),
  setChannel: (channel) => set((s) => (channel >= 0 && channel < s.channels.length ? { channel } : s)),
  setColormap: (c, colormap) =>
    set((s) => ({ channels: s.channels.map((d, i) => (i === c ? { ...d, colormap } : d)) })),
  setWindow: (c, min, max) => {
    if (!(Number.isFinite(min) && Number.isFinite(max) && max > min)) return false;
    set((s) => ({
      channels: s.channels.map((d, i) => (i === c ? { ...d, min, max } : d)),
      autoEveryFrame: false,
    }));
    return true;
  },
  requestAuto: () => set({ pendingAuto: true }),
  setAutoEveryFrame: (autoEveryFrame) =>
    set({ autoEveryFrame, pendingAuto: autoEveryFrame ? false : get().pendingAuto }),
  applyAutoWindows: (windows) =>
    set((s) => {
      const channels = s.channels.map((d, i) => {
        const w = windows.find((x) => x.channel === i);
        return w ? { ...d, min: w.min, max: w.max } : d;
      });
      return { channels, pendingAuto: false };
    }),
}));

export const useViewer = <T>(sel: (s: ViewerState) => T): T => useStore(viewerStore, sel);
