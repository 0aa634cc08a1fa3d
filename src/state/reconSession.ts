// What a session carries of the reconstruction view: render settings, export pixel, scale bar
// and where the view looks.
import { ReconViewSchema } from '../core/render/reconstruct';
import type { Json } from '../core/session/index';
import { reconStore } from './reconStore';
import { registerSessionPart } from './sessionPart';

registerSessionPart({
  key: 'recon',
  scope: 'view',
  schema: ReconViewSchema,
  // What is on screen stays where the file says nothing (a fitted view keeps fitting).
  defaults: () => ({ ...reconStore.getState(), fit: true }),
  capture(ctx) {
    const r = reconStore.getState();
    ctx.view.colormaps.reconstruction = r.settings.colormap;
    const { settings, pixelNm, scaleBar, cx, cy, nmPerPx, fit } = r;
    return JSON.parse(JSON.stringify({ settings, pixelNm, scaleBar, cx, cy, nmPerPx, fit })) as Json;
  },
  restore(rs) {
    if (!rs) return;
    const r = reconStore.getState();
    r.setSettings(rs.settings);
    r.setPixelNm(rs.pixelNm);
    r.setScaleBar(rs.scaleBar);
    if (!rs.fit) reconStore.setState({ fit: false, cx: rs.cx, cy: rs.cy, nmPerPx: rs.nmPerPx });
  },
});
