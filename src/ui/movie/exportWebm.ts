// WebM video of the movie: each frame is rendered by the movie worker, drawn on a canvas with the
// time stamp and a scale bar burned in, and recorded from canvas.captureStream() by MediaRecorder
// (VP9 or VP8, whichever the browser encodes). Frames are pushed one by one with requestFrame()
// at the chosen frame rate, so the video plays at that rate whatever the rendering speed; the
// Duration the live recorder leaves out is written in afterwards (core/video/webmDuration.ts).
import { niceScaleBar } from '../../core/display/scaleBar';
import { movieFrameTimes } from '../../core/movie/window';
import { withWebmDuration } from '../../core/video/webmDuration';
import { movieService } from '../../engine/movieService';
import type { MovieState } from '../../state/movieStore';
import { movieTimeLabel } from './format';
import { overlayOf } from './useMovieFrame';

export function webmSupported(): string | null {
  if (typeof MediaRecorder === 'undefined' || !HTMLCanvasElement.prototype.captureStream) return null;
  for (const t of ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'])
    if (MediaRecorder.isTypeSupported(t)) return t;
  return null;
}

/** Longest side of the video: larger movies are scaled down (encoders and players cope better). */
const MAX_SIDE = 1280;

export async function exportWebm(
  s: MovieState,
  onProgress: (done: number, total: number) => void,
  signal: AbortSignal,
): Promise<Blob> {
  const mime = webmSupported();
  if (!mime) throw new Error('this browser cannot record WebM video (no MediaRecorder with VP8/VP9)');
  const b = s.built;
  const frames = s.info?.ready ?? 0;
  if (!b || frames === 0) throw new Error('build the movie first');
  const k = Math.min(1, MAX_SIDE / Math.max(b.grid.width, b.grid.height));
  // Even sizes: VP8/VP9 encoders want them.
  const w = 2 * Math.round((b.grid.width * k) / 2);
  const h = 2 * Math.round((b.grid.height * k) / 2);
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  const src = document.createElement('canvas');
  src.width = b.grid.width;
  src.height = b.grid.height;
  const sctx = src.getContext('2d')!;
  const stream = canvas.captureStream(0);
  const track = stream.getVideoTracks()[0] as MediaStreamTrack & { requestFrame?: () => void };
  const rec = new MediaRecorder(stream, { mimeType: mime, videoBitsPerSecond: 8_000_000 });
  const parts: Blob[] = [];
  rec.ondataavailable = (e) => {
    if (e.data.size > 0) parts.push(e.data);
  };
  const stopped = new Promise<void>((resolve) => {
    rec.onstop = () => resolve();
  });
  rec.start(1000);
  const period = 1000 / s.fps;
  const bar = niceScaleBar(b.grid.pixelNm, k, Math.min(160, w / 4));
  try {
    let next = performance.now();
    for (let n = 0; n < frames; n++) {
      if (signal.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
      const f = await movieService.renderFrame({
        frame: n,
        colormap: s.colormap,
        contrast: s.contrastMode === 'frame' ? 'auto' : s.window,
        overlay: overlayOf(s),
      });
      sctx.putImageData(new ImageData(f.rgba as Uint8ClampedArray<ArrayBuffer>, f.width, f.height), 0, 0);
      ctx.imageSmoothingEnabled = k < 1;
      ctx.drawImage(src, 0, 0, w, h);
      ctx.font = `${Math.max(12, Math.round(h / 40))}px system-ui, sans-serif`;
      const label = movieTimeLabel(movieFrameTimes(n, b, b.rawFrameIntervalS));
      ctx.fillStyle = 'rgba(0,0,0,0.55)';
      ctx.fillRect(6, 6, ctx.measureText(label).width + 12, Math.max(12, h / 40) + 10);
      ctx.fillStyle = '#fff';
      ctx.textBaseline = 'top';
      ctx.fillText(label, 12, 11);
      if (bar) {
        const x = w - 12 - bar.screenPx;
        const y = h - 14;
        ctx.fillRect(x, y, bar.screenPx, 4);
        ctx.textAlign = 'center';
        ctx.textBaseline = 'bottom';
        ctx.fillText(bar.label, x + bar.screenPx / 2, y - 3);
        ctx.textAlign = 'left';
      }
      track.requestFrame?.();
      onProgress(n + 1, frames);
      // Real-time pacing: MediaRecorder time-stamps frames by the wall clock.
      next += period;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else next = performance.now();
    }
  } finally {
    rec.stop();
    track.stop();
  }
  await stopped;
  // The recorder leaves the length out (it streams): write it in, frames / frame rate.
  const raw = new Uint8Array(await new Blob(parts).arrayBuffer());
  const fixed = withWebmDuration(raw, frames * period);
  return new Blob([fixed as Uint8Array<ArrayBuffer>], { type: 'video/webm' });
}
