// Frame-exact video of the movie: each movie frame is rendered by the movie worker, drawn on a
// canvas with the time stamp and a scale bar burned in, and handed to a WebCodecs VideoEncoder
// with the time stamp i/fps and the duration 1/fps — exactly one video frame per movie frame,
// however long rendering takes (the MediaRecorder export this replaces stamped frames by the
// wall clock, dropped some under load and had its Duration patched afterwards).
//
// Muxer: mediabunny (MPL-2.0), the maintained successor of webm-muxer and mp4-muxer by the same
// author (both are deprecated in its favour and get no fixes). One library writes WebM and MP4 and
// its CanvasSource drives VideoEncoder with back-pressure. What this file uses of it is ~218 kB
// minified (57 kB gzip, against ~70 kB for the two old muxers), so it is imported on first use,
// not with the app.
//
// No WebCodecs → no video, and the button says why. A MediaRecorder fallback would bring back
// exactly the drifting timing and dropped frames this export exists to remove; every current
// Chromium, Firefox (130+) and Safari (16.4+) has VideoEncoder, and the TIFF export always works.
import type { BufferTarget, VideoCodec } from 'mediabunny';
import { niceScaleBar } from '../../core/display/scaleBar';
import { movieFrameTimes } from '../../core/movie/window';
import { frame0 } from '../../core/units';
import { movieService } from '../../engine/movieService';
import type { MovieState } from '../../state/movieStore';
import { movieTimeLabel } from './format';
import { overlayOf } from './useMovieFrame';

export type VideoContainer = 'webm' | 'mp4';

interface ContainerSpec {
  codec: VideoCodec;
  codecName: string;
  mime: string;
}

/** VP9 in WebM plays everywhere without licences; H.264 in MP4 for PowerPoint, Keynote and QuickTime. */
export const VIDEO_CONTAINERS: Record<VideoContainer, ContainerSpec> = {
  webm: { codec: 'vp9', codecName: 'VP9', mime: 'video/webm' },
  mp4: { codec: 'avc', codecName: 'H.264', mime: 'video/mp4' },
};

/** Longest side of the video: larger movies are scaled down (encoders and players cope better). */
const MAX_SIDE = 1280;

export function videoSize(width: number, height: number): { w: number; h: number; k: number } {
  const k = Math.min(1, MAX_SIDE / Math.max(width, height));
  // Even sizes: 4:2:0 encoders (VP9, H.264) want them.
  return {
    w: Math.max(2, 2 * Math.round((width * k) / 2)),
    h: Math.max(2, 2 * Math.round((height * k) / 2)),
    k,
  };
}

export const NO_WEBCODECS =
  'This browser has no WebCodecs video encoder (Chrome/Edge 94+, Firefox 130+, Safari 16.4+ have one); export the movie TIFF instead';

/**
 * Why the container cannot be written at this size in this browser, or null when it can
 * (VideoEncoder.isConfigSupported through mediabunny's canEncodeVideo).
 */
export async function videoUnsupported(
  c: VideoContainer,
  width: number,
  height: number,
): Promise<string | null> {
  if (typeof VideoEncoder === 'undefined') return NO_WEBCODECS;
  const { w, h } = videoSize(width, height);
  const spec = VIDEO_CONTAINERS[c];
  const { canEncodeVideo, QUALITY_HIGH } = await import('mediabunny');
  if (await canEncodeVideo(spec.codec, { width: w, height: h, quality: QUALITY_HIGH })) return null;
  return `This browser's video encoder cannot write ${spec.codecName} at ${w}×${h}`;
}

function drawFrame(
  ctx: CanvasRenderingContext2D,
  src: HTMLCanvasElement,
  label: string,
  bar: { screenPx: number; label: string } | null,
  k: number,
): void {
  const { width: w, height: h } = ctx.canvas;
  ctx.imageSmoothingEnabled = k < 1;
  ctx.drawImage(src, 0, 0, w, h);
  ctx.font = `${Math.max(12, Math.round(h / 40))}px system-ui, sans-serif`;
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
}

function canvas2d(width: number, height: number): CanvasRenderingContext2D {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c.getContext('2d')!;
}

export async function exportVideo(
  s: MovieState,
  container: VideoContainer,
  onProgress: (done: number, total: number) => void,
  signal: AbortSignal,
): Promise<Blob> {
  const b = s.built;
  const frames = s.info?.ready ?? 0;
  if (!b || frames === 0) throw new Error('build the movie first');
  const why = await videoUnsupported(container, b.grid.width, b.grid.height);
  if (why) throw new Error(why);
  const spec = VIDEO_CONTAINERS[container];
  const { BufferTarget, CanvasSource, Mp4OutputFormat, Output, QUALITY_HIGH, WebMOutputFormat } =
    await import('mediabunny');
  const { w, h, k } = videoSize(b.grid.width, b.grid.height);
  const ctx = canvas2d(w, h);
  const sctx = canvas2d(b.grid.width, b.grid.height);
  const output = new Output({
    format: container === 'webm' ? new WebMOutputFormat() : new Mp4OutputFormat({ fastStart: 'in-memory' }),
    target: new BufferTarget(),
  });
  const source = new CanvasSource(ctx.canvas, {
    codec: spec.codec,
    quality: QUALITY_HIGH,
    // A key frame every second of video, so players can seek.
    keyFrameInterval: 1,
  });
  output.addVideoTrack(source, { frameRate: s.fps });
  await output.start();
  const bar = niceScaleBar(b.grid.pixelNm, k, Math.min(160, w / 4));
  try {
    for (let n = 0; n < frames; n++) {
      if (signal.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
      const f = await movieService.renderFrame({
        frame: n,
        colormap: s.colormap,
        contrast: s.contrastMode === 'frame' ? 'auto' : s.window,
        overlay: overlayOf(s),
      });
      sctx.putImageData(new ImageData(f.rgba as Uint8ClampedArray<ArrayBuffer>, f.width, f.height), 0, 0);
      drawFrame(ctx, sctx.canvas, movieTimeLabel(movieFrameTimes(frame0(n), b, b.rawFrameIntervalS)), bar, k);
      await source.add(n / s.fps, 1 / s.fps);
      onProgress(n + 1, frames);
    }
    await output.finalize();
  } catch (e) {
    await output.cancel();
    throw e;
  }
  const buf = (output.target as BufferTarget).buffer!;
  return new Blob([buf], { type: spec.mime });
}
