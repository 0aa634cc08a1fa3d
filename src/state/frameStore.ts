// The frame on screen, as the stack worker rendered it, and the loop that asks for new frames
// whenever what should be on screen changes.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { latestOnly } from '../engine/latestOnly';
import type { ChannelView, RenderRequest, RenderResult, StackService } from '../engine/stackService';
import { activeStack, dataStore } from './dataStore';
import { type ViewerState, viewerStore } from './viewerStore';

export interface FrameState {
  result: RenderResult | null;
  error: string | null;
}

export const frameStore = createStore<FrameState>()(() => ({ result: null, error: null }));
export const useFrame = <T>(sel: (s: FrameState) => T): T => useStore(frameStore, sel);

/** The render request that matches the current stores, or null when nothing is loaded. */
export function buildRequest(v: ViewerState, stackId: number | null, channels: number): RenderRequest | null {
  if (stackId === null || v.channels.length !== channels) return null;
  const auto = v.pendingAuto || v.autoEveryFrame;
  const view = (c: number): ChannelView => ({
    channel: c,
    colormap: v.channels[c].colormap,
    contrast: auto
      ? { mode: 'auto', lowPct: v.lowPct, highPct: v.highPct }
      : { mode: 'manual', min: v.channels[c].min, max: v.channels[c].max },
  });
  const layout = channels > 1 ? v.layout : 'single';
  const views = layout === 'single' ? [view(v.channel)] : v.channels.map((_, c) => view(c));
  return { stackId, frame: v.frame, layout, views };
}

function sameRequest(a: RenderRequest | null, b: RenderRequest | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Starts the render loop; returns a function that stops it. */
export function startFrameRenderer(service: StackService): () => void {
  let last: RenderRequest | null = null;
  const queue = latestOnly<RenderRequest, RenderResult>(
    (req) => service.render(req),
    (res, req) => {
      // A result for a stack that is no longer shown is stale.
      if (dataStore.getState().activeId !== res.stackId) return;
      const v = viewerStore.getState();
      if (req.views[0].contrast.mode === 'auto') {
        v.applyAutoWindows(res.tiles.map((t) => ({ channel: t.channel, ...t.window })));
      }
      v.setImageSize(res.width, res.height);
      frameStore.setState({ result: res, error: null });
    },
    (err) => frameStore.setState({ error: err instanceof Error ? err.message : String(err) }),
  );
  const update = () => {
    const d = dataStore.getState();
    const st = activeStack(d);
    const req = buildRequest(viewerStore.getState(), st?.info.id ?? null, st?.info.channels ?? 0);
    if (sameRequest(req, last)) return;
    last = req;
    if (req) queue.request(req);
    // A stack whose channel count the viewer has not caught up with yet keeps the old picture
    // for a moment instead of flashing an empty canvas.
    else if (!st) {
      queue.clear();
      frameStore.setState({ result: null, error: null });
    }
  };
  const unsubs = [dataStore.subscribe(update), viewerStore.subscribe(update)];
  update();
  return () => {
    for (const u of unsubs) u();
    queue.clear();
  };
}
