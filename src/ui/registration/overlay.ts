// The registration's beads over the raw frames: channel-1 beads as circles, the other channel's
// beads mapped through the registration as crosses (they should sit inside the circles), and a
// faint line from where that bead is on its own camera — the correction the map applies. Fitted
// from this stack's frames, only the beads of the frame on screen are drawn (emitters that
// change every frame would otherwise cover the image); from a bead stack, all of them.
import { useEffect } from 'react';
import { PHYSICAL_DEFAULTS } from '../../core/physicalDefaults';
import { affinePointFn } from '../../core/registration/affine6';
import { effectiveMeta, type LoadedStack } from '../../state/dataStore';
import { registrationStore, useRegistration } from '../../state/registrationStore';
import { useViewer } from '../../state/viewerStore';
import { overlayStore, toScreen } from '../viewer/overlays';

export const REGISTRATION_OVERLAY = 'registration-beads';

export function useRegistrationOverlay(st: LoadedStack): void {
  const show = useRegistration((s) => s.showOverlay);
  const regs = useRegistration((s) => s.byStack[st.info.id]);
  const px = effectiveMeta(st).pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm;
  const frame = useViewer((s) => s.frame);
  useEffect(() => {
    const withBeads = Object.values(regs ?? {}).filter((r) => r.beads);
    if (!show || withBeads.length === 0) {
      overlayStore.getState().remove(REGISTRATION_OVERLAY);
      return;
    }
    overlayStore.getState().set({
      id: REGISTRATION_OVERLAY,
      label: 'Registration beads',
      color: '#ff5dd2',
      order: 30,
      draw(ctx, view) {
        const r = Math.max(5, 1.2 * view.zoom);
        const inView = (x: number, y: number) =>
          x > -20 && y > -20 && x < view.width + 20 && y < view.height + 20;
        ctx.lineWidth = 1.25;
        for (const reg of withBeads) {
          const b = reg.beads!;
          const map = affinePointFn(reg.toReference);
          const ownFrames = reg.source.kind === 'frames';
          for (let i = 0; i < b.refX.length; i++) {
            if (ownFrames && (frame < b.firstFrame[i] || frame >= b.firstFrame[i] + b.frames[i])) continue;
            const [rx, ry] = toScreen(view, b.refX[i] / px, b.refY[i] / px);
            if (!inView(rx, ry)) continue;
            const [mx, my] = toScreen(view, b.movX[i] / px, b.movY[i] / px);
            const [tx, ty] = map(b.movX[i], b.movY[i]);
            const [sx, sy] = toScreen(view, tx / px, ty / px);
            ctx.strokeStyle = 'rgba(255, 93, 210, 0.35)';
            ctx.beginPath();
            ctx.moveTo(mx, my);
            ctx.lineTo(sx, sy);
            ctx.stroke();
            ctx.strokeStyle = '#4fd1ff';
            ctx.beginPath();
            ctx.arc(rx, ry, r, 0, 2 * Math.PI);
            ctx.stroke();
            ctx.strokeStyle = '#ff5dd2';
            ctx.beginPath();
            ctx.moveTo(sx - r * 0.7, sy);
            ctx.lineTo(sx + r * 0.7, sy);
            ctx.moveTo(sx, sy - r * 0.7);
            ctx.lineTo(sx, sy + r * 0.7);
            ctx.stroke();
          }
        }
      },
    });
  }, [show, regs, px, frame]);
  // Leaving the Data step (or the stack) takes the overlay away with the panel.
  useEffect(() => () => overlayStore.getState().remove(REGISTRATION_OVERLAY), []);
}

/** For scripts and tests: whether the overlay is drawn now. */
export function registrationOverlayShown(): boolean {
  return (
    overlayStore.getState().overlays.some((o) => o.id === REGISTRATION_OVERLAY) &&
    registrationStore.getState().showOverlay
  );
}
