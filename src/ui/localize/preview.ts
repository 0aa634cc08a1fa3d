// The live preview: detection and fitting of the frame on screen with the current parameters, in
// the preview worker, drawn over the raw image. Requests are debounced and coalesced, so
// scrubbing frames or typing a parameter runs only the last one asked for.
import { useEffect, useState } from 'react';
import { PHYSICAL_DEFAULTS } from '../../core/physicalDefaults';
import { latestOnly } from '../../engine/latestOnly';
import type { RegionOfInterest } from '../../engine/localizeRun';
import { localizeService, type PreviewRequest, type PreviewResult } from '../../engine/localizeService';
import { attachMaps, useCameraMaps } from '../../state/cameraMapsStore';
import { activeStack, dataStore, useData } from '../../state/dataStore';
import { planRun, useLocalizeParams } from '../../state/localizeParamsStore';
import { useLocs } from '../../state/locsStore';
import { useViewer } from '../../state/viewerStore';
import { type Overlay, type OverlayView, overlayStore, toScreen } from '../viewer/overlays';

export const PREVIEW_OVERLAY = 'localize-preview';
export const ROI_OVERLAY = 'localize-roi';

export interface PreviewSummary {
  frame: number;
  candidates: number;
  fits: number;
  rejected: number;
  ms: number;
}

export type PreviewState =
  | { kind: 'off' }
  | { kind: 'waiting' }
  | { kind: 'paused' }
  | { kind: 'ok'; summary: PreviewSummary }
  | { kind: 'error'; message: string };

/** Painter for one preview result: candidates as squares, good fits as +, rejected fits as ×. */
export function previewOverlay(p: PreviewResult, pixelSizeNm: number): Overlay {
  const { candidatesX, candidatesY, fits } = p;
  return {
    id: PREVIEW_OVERLAY,
    label: 'Candidates □ · fits + · rejected ×',
    color: '#ffd23f',
    order: 10,
    draw(ctx: CanvasRenderingContext2D, v: OverlayView) {
      const half = Math.max(4, v.zoom * 1.2);
      ctx.lineWidth = 1;
      ctx.strokeStyle = 'rgba(255, 210, 63, 0.9)';
      ctx.beginPath();
      for (let i = 0; i < candidatesX.length; i++) {
        const [sx, sy] = toScreen(v, candidatesX[i], candidatesY[i]);
        ctx.rect(sx - half, sy - half, 2 * half, 2 * half);
      }
      ctx.stroke();
      const arm = Math.max(3, v.zoom * 0.5);
      const good = new Path2D();
      const bad = new Path2D();
      const flags = fits.columns.flags;
      for (let i = 0; i < fits.length; i++) {
        const [sx, sy] = toScreen(v, fits.columns.x[i] / pixelSizeNm, fits.columns.y[i] / pixelSizeNm);
        if (flags && flags[i] !== 0) {
          bad.moveTo(sx - arm, sy - arm);
          bad.lineTo(sx + arm, sy + arm);
          bad.moveTo(sx - arm, sy + arm);
          bad.lineTo(sx + arm, sy - arm);
        } else {
          good.moveTo(sx - arm, sy);
          good.lineTo(sx + arm, sy);
          good.moveTo(sx, sy - arm);
          good.lineTo(sx, sy + arm);
        }
      }
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = '#4cf08a';
      ctx.stroke(good);
      ctx.strokeStyle = '#ff5d5d';
      ctx.stroke(bad);
    },
  };
}

export function roiOverlay(roi: RegionOfInterest): Overlay {
  return {
    id: ROI_OVERLAY,
    label: 'Localization region',
    color: '#5aa9ff',
    order: 5,
    draw(ctx, v) {
      const [x0, y0] = toScreen(v, roi.x, roi.y);
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = '#5aa9ff';
      ctx.strokeRect(x0, y0, roi.width * v.zoom, roi.height * v.zoom);
    },
  };
}

const DEBOUNCE_MS = 150;

/** Runs the preview while `enabled` and keeps its overlay current; returns what it found. */
export function usePreview(enabled: boolean): PreviewState {
  const st = useData(activeStack);
  const settings = useLocalizeParams((s) => s.settings);
  const frame = useViewer((s) => s.frame);
  const maps = useCameraMaps((s) => (st ? s.byStack[st.info.id] : undefined));
  // A run needs both cores: the preview waits for its end (its last overlay stays), then resumes.
  const running = useLocs((s) => s.status === 'running');
  const [state, setState] = useState<PreviewState>({ kind: 'off' });
  const [queue] = useState(() =>
    latestOnly<{ req: PreviewRequest; pixelSizeNm: number }, { res: PreviewResult; pixelSizeNm: number }>(
      async ({ req, pixelSizeNm }) => ({ res: await localizeService.preview(req), pixelSizeNm }),
      ({ res, pixelSizeNm }, { req }) => {
        // The stack changed while this preview ran: its markers belong to another image.
        if (activeStack(dataStore.getState())?.info.recipe !== req.stack.recipe) return;
        let rejected = 0;
        const flags = res.fits.columns.flags;
        for (let i = 0; i < res.fits.length; i++) if (flags?.[i]) rejected++;
        overlayStore.getState().set(previewOverlay(res, pixelSizeNm));
        setState({
          kind: 'ok',
          summary: {
            frame: res.frame,
            candidates: res.candidatesX.length,
            fits: res.fits.length - rejected,
            rejected,
            ms: res.ms,
          },
        });
      },
      (err) => {
        overlayStore.getState().remove(PREVIEW_OVERLAY);
        setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      },
    ),
  );

  useEffect(() => {
    if (!enabled || !st) {
      overlayStore.getState().remove(PREVIEW_OVERLAY);
      queue.clear();
      setState({ kind: 'off' });
      return;
    }
    if (running) {
      queue.clear();
      setState({ kind: 'paused' });
      return;
    }
    const planned = planRun(settings, st, maps);
    if (!planned.ok) {
      overlayStore.getState().remove(PREVIEW_OVERLAY);
      setState({ kind: 'error', message: planned.errors[0] });
      return;
    }
    const { plan } = planned;
    setState((s) => (s.kind === 'ok' ? s : { kind: 'waiting' }));
    const t = setTimeout(() => {
      const { params, scmosMapsFromSimulation } = attachMaps(plan.params, plan.scmosMaps, plan.stackId);
      queue.request({
        req: {
          stack: st.info,
          channel: plan.channel,
          frame: Math.min(frame, st.info.frameCount - 1),
          params,
          roi: plan.roi,
          scmosMapsFromSimulation,
        },
        pixelSizeNm: plan.params.pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm,
      });
    }, DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [enabled, st, settings, frame, queue, maps, running]);

  useEffect(() => () => overlayStore.getState().remove(PREVIEW_OVERLAY), []);
  return state;
}
