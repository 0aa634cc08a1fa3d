// What a session carries of the raw viewer: frame, zoom and pan (in the view), colour maps, channel
// layout and contrast.
import { ViewerSettingsSchema } from '../core/display/viewSettings';
import type { Json } from '../core/session/index';
import { registerSessionPart } from './sessionPart';
import { viewerStore } from './viewerStore';

registerSessionPart({
  key: 'viewer',
  scope: 'view',
  schema: ViewerSettingsSchema,
  // What is on screen stays where the file says nothing; no channels means "auto-contrast".
  defaults: () => {
    const s = viewerStore.getState();
    return { ...s, fit: true, channels: [], autoEveryFrame: false };
  },
  capture(ctx) {
    const v = viewerStore.getState();
    Object.assign(ctx.view, { frame: v.frame, zoom: v.zoom, pan: { x: v.panX, y: v.panY } });
    v.channels.forEach((c, i) => {
      ctx.view.colormaps[`raw:${i}`] = c.colormap;
    });
    const { fit, layout, channel, channels, autoEveryFrame, lowPct, highPct } = v;
    return JSON.parse(
      JSON.stringify({ fit, layout, channel, channels, autoEveryFrame, lowPct, highPct }),
    ) as Json;
  },
  restore(vs, { view }) {
    viewerStore.getState().setFrame(view.frame);
    if (!vs) return;
    viewerStore.setState((s) => {
      const same = vs.channels.length === s.channels.length;
      return {
        layout: vs.layout,
        channel: vs.channel,
        channels: same ? vs.channels : s.channels,
        pendingAuto: !same,
        autoEveryFrame: vs.autoEveryFrame,
        lowPct: vs.lowPct,
        highPct: vs.highPct,
      };
    });
    if (!vs.fit) viewerStore.setState({ fit: false, zoom: view.zoom, panX: view.pan.x, panY: view.pan.y });
  },
});
