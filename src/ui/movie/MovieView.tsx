// The movie player (centre view "Movie"): the movie frame under the same zoom/pan conventions as
// the raw viewer (wheel zooms about the cursor, drag pans, Fit), the EV channel as a second colour
// layer, binary or structure outlines, a scale bar and the window's time labels. Shift-drag draws
// a region of interest for the next build. Keys (when focused): ←/→ step, space play, +/− zoom, 0 fit.
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { COLORMAPS, type ColormapName } from '../../core/display/colormaps';
import { niceScaleBar } from '../../core/display/scaleBar';
import { screenToImage } from '../../core/display/view2d';
import type { EvLayerMode } from '../../core/movie/evFrames';
import { movieService } from '../../engine/movieService';
import { movieStore, playableFrames, useMovie } from '../../state/movieStore';
import { useUi } from '../../state/uiStore';
import { ZoomControls } from '../canvas/ZoomControls';
import { clearedContext, drawScaleBar, useZoomPanCanvas } from '../canvas/zoomPan';
import { useOverlays } from '../viewer/overlays';
import { formatSeconds, movieTimeLabel } from './format';
import { useMovieFrame } from './useMovieFrame';
import './movie.css';

function usePlayback() {
  const playing = useMovie((s) => s.playing);
  const fps = useMovie((s) => s.fps);
  useEffect(() => {
    if (!playing) return;
    const start = performance.now();
    const startFrame = movieStore.getState().frame;
    let raf = 0;
    const tick = (now: number) => {
      const s = movieStore.getState();
      const n = playableFrames(s);
      if (n > 1) {
        const ahead = startFrame + Math.floor(((now - start) * fps) / 1000);
        if (!s.loop && ahead >= n) {
          s.setFrame(n - 1);
          s.setPlaying(false);
          return;
        }
        const f = ahead % n;
        if (f !== s.frame) s.set({ frame: f });
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing, fps]);
}

interface Drag {
  roi: boolean;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const MOVIE_HANDLERS = {
  onResize: (w: number, h: number) => movieStore.getState().setViewport(w, h),
  zoomAt: (f: number, sx: number, sy: number) => movieStore.getState().zoomAt(f, sx, sy),
};

export function MovieView() {
  usePlayback();
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const movieImg = useRef<HTMLCanvasElement | null>(null);
  const evImg = useRef<HTMLCanvasElement | null>(null);
  const { movie, ev, error, drawRate } = useMovieFrame();
  const s = useMovie((x) => x);
  const built = s.built;
  const [hover, setHover] = useState<{ x: number; y: number; value: number | null } | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const setCentre = useUi((u) => u.setCentreView);
  // Overlays drawn in camera pixels that make sense over the movie (EV tracks) are drawn here too.
  const trackOverlay = useOverlays((o) =>
    o.hidden.tracks ? null : (o.overlays.find((x) => x.id === 'tracks') ?? null),
  );

  useZoomPanCanvas(wrap, canvas, MOVIE_HANDLERS);

  // Native-resolution layers, redrawn only when a new frame arrives.
  useEffect(() => {
    if (!movie) return;
    const img = movieImg.current ?? document.createElement('canvas');
    movieImg.current = img;
    if (img.width !== movie.width || img.height !== movie.height) {
      img.width = movie.width;
      img.height = movie.height;
    }
    img
      .getContext('2d')!
      .putImageData(
        new ImageData(movie.rgba as Uint8ClampedArray<ArrayBuffer>, movie.width, movie.height),
        0,
        0,
      );
  }, [movie]);
  useEffect(() => {
    if (!ev) return;
    const img = evImg.current ?? document.createElement('canvas');
    evImg.current = img;
    img.width = ev.width;
    img.height = ev.height;
    img
      .getContext('2d')!
      .putImageData(new ImageData(ev.rgba as Uint8ClampedArray<ArrayBuffer>, ev.width, ev.height), 0, 0);
  }, [ev]);

  const { zoom, panX, panY, viewport } = s;
  useEffect(() => {
    const dpr = window.devicePixelRatio || 1;
    const ctx = clearedContext(canvas.current!, viewport, dpr);
    if (!movie || !built) return;
    ctx.setTransform(dpr * zoom, 0, 0, dpr * zoom, dpr * panX, dpr * panY);
    ctx.imageSmoothingEnabled = zoom < 1;
    ctx.drawImage(movieImg.current!, 0, 0);
    if (ev && evImg.current && s.showEv) {
      // Camera pixels of the ROI onto render pixels: scale camera px / render px.
      const k = built.cameraPixelNm / built.grid.pixelNm;
      ctx.save();
      ctx.globalCompositeOperation = 'lighter';
      ctx.globalAlpha = 0.8;
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(evImg.current, -built.roi.x0 * k, -built.roi.y0 * k, ev.width * k, ev.height * k);
      ctx.restore();
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (trackOverlay) {
      // Camera px → screen: render px = (camera px − ROI origin) · k, then the player's zoom/pan.
      // The overlay marks the EV at the raw frame at the window's centre.
      const k = built.cameraPixelNm / built.grid.pixelNm;
      trackOverlay.draw(ctx, {
        zoom: zoom * k,
        panX: panX - built.roi.x0 * k * zoom,
        panY: panY - built.roi.y0 * k * zoom,
        width: viewport.w,
        height: viewport.h,
        frame: s.frame * built.step + Math.floor(built.window / 2),
      });
    }
    const bar = niceScaleBar(built.grid.pixelNm, zoom);
    if (bar) drawScaleBar(ctx, viewport, bar.screenPx, bar.label);
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'left';
    const label = movieTimeLabel(movie.times);
    const tw = ctx.measureText(label).width;
    ctx.fillStyle = 'rgba(0,0,0,0.55)';
    ctx.fillRect(8, 8, tw + 12, 22);
    ctx.fillStyle = '#fff';
    ctx.fillText(label, 14, 23);
    if (drag?.roi) {
      ctx.strokeStyle = '#5aa9ff';
      ctx.setLineDash([5, 4]);
      ctx.lineWidth = 1.5;
      const x = Math.min(drag.x0, drag.x1) * zoom + panX;
      const y = Math.min(drag.y0, drag.y1) * zoom + panY;
      ctx.strokeRect(x, y, Math.abs(drag.x1 - drag.x0) * zoom, Math.abs(drag.y1 - drag.y0) * zoom);
      ctx.setLineDash([]);
    }
  }, [movie, ev, built, zoom, panX, panY, viewport, drag, s.showEv, s.frame, trackOverlay]);

  const toImage = (e: { clientX: number; clientY: number }) => {
    const r = canvas.current!.getBoundingClientRect();
    return screenToImage({ zoom, panX, panY }, e.clientX - r.left, e.clientY - r.top);
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    const m = movieStore.getState();
    const handled = (() => {
      switch (e.key) {
        case 'ArrowRight':
          m.step(e.shiftKey ? 10 : 1);
          return true;
        case 'ArrowLeft':
          m.step(e.shiftKey ? -10 : -1);
          return true;
        case 'Home':
          m.setFrame(0);
          return true;
        case 'End':
          m.setFrame(playableFrames(m) - 1);
          return true;
        case ' ':
          if (e.target instanceof HTMLButtonElement) return false;
          m.setPlaying(!m.playing);
          return true;
        case '+':
        case '=':
          m.zoomAt(1.25);
          return true;
        case '-':
          m.zoomAt(0.8);
          return true;
        case '0':
          m.fitToWindow();
          return true;
        default:
          return false;
      }
    })();
    if (handled) {
      e.preventDefault();
      // The raw viewer's global shortcuts must not move the raw frame as well.
      e.stopPropagation();
    }
  };

  const pixelNm = built?.grid.pixelNm ?? 1;
  const readout =
    hover && built
      ? `x ${((built.grid.x0Nm + (Math.floor(hover.x) + 0.5) * pixelNm) / 1000).toFixed(3)} µm, y ${((built.grid.y0Nm + (Math.floor(hover.y) + 0.5) * pixelNm) / 1000).toFixed(3)} µm${hover.value === null ? '' : ` · ${hover.value.toPrecision(4)} locs/px/frame`}`
      : null;

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the player takes keys when focused, like a video element
    <div className="movie-view" tabIndex={-1} onKeyDown={onKey} data-testid="movie-view">
      <MovieToolbar drawRate={s.playing ? drawRate : null} />
      <div ref={wrap} className={`canvas-wrap ${drag && !drag.roi ? 'panning' : ''}`}>
        <canvas
          ref={canvas}
          tabIndex={0}
          data-testid="movie-canvas"
          aria-label={movie ? `Movie frame ${movie.frame + 1}` : 'No movie built'}
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            e.currentTarget.setPointerCapture(e.pointerId);
            e.currentTarget.focus();
            const p = toImage(e);
            setDrag({ roi: e.shiftKey && !!built, x0: p.x, y0: p.y, x1: p.x, y1: p.y });
          }}
          onPointerMove={(e) => {
            const p = toImage(e);
            if (drag?.roi) setDrag({ ...drag, x1: p.x, y1: p.y });
            else if (drag) movieStore.getState().panBy(e.movementX, e.movementY);
            if (built && movie) {
              const inside = p.x >= 0 && p.y >= 0 && p.x < built.grid.width && p.y < built.grid.height;
              if (!inside) setHover(null);
              else {
                setHover({ x: p.x, y: p.y, value: null });
                movieService
                  .valueAt(movie.frame, p.x, p.y)
                  .then((value) => setHover((h) => (h && h.x === p.x && h.y === p.y ? { ...h, value } : h)))
                  .catch(() => {});
              }
            }
          }}
          onPointerUp={() => {
            if (drag?.roi && built) {
              const k = built.grid.pixelNm / built.cameraPixelNm;
              const x0 = Math.floor(Math.max(0, Math.min(drag.x0, drag.x1)) * k) + built.roi.x0;
              const y0 = Math.floor(Math.max(0, Math.min(drag.y0, drag.y1)) * k) + built.roi.y0;
              const x1 = Math.ceil(Math.min(built.grid.width, Math.max(drag.x0, drag.x1)) * k) + built.roi.x0;
              const y1 =
                Math.ceil(Math.min(built.grid.height, Math.max(drag.y0, drag.y1)) * k) + built.roi.y0;
              if (x1 > x0 && y1 > y0) movieStore.getState().setParams({ roi: { x0, y0, x1, y1 } });
            }
            setDrag(null);
          }}
          onPointerCancel={() => setDrag(null)}
          onPointerLeave={() => setHover(null)}
        />
        {readout && (
          <div className="readout num" data-testid="movie-readout">
            {readout}
          </div>
        )}
        {!built && (
          <div className="empty">
            <h2>No movie yet</h2>
            <div>Build it in the Movie step on the left, from localizations of the open stack.</div>
            <div className="formats">
              <button type="button" className="btn" onClick={() => setCentre('raw')}>
                Back to raw frames
              </button>
            </div>
          </div>
        )}
        {error && <div className="movie-error">{error}</div>}
      </div>
      <PlayerBar />
    </div>
  );
}

function MovieToolbar({ drawRate }: { drawRate: number | null }) {
  const s = useMovie((x) => x);
  const none = !s.built;
  const m = movieStore.getState();
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label="Movie view">
      <ZoomControls
        disabled={none}
        scale={`${Math.round(s.zoom * 100)}%`}
        scaleTitle="Zoom (screen px per render px)"
        zoomAt={(f) => m.zoomAt(f)}
        fit={() => m.fitToWindow()}
        fitTitle="Fit to window (0)"
        keyHints
      />
      <span className="sep" />
      <label className="row" title="Colour map of the movie">
        <span className="muted">Map</span>
        <select
          value={s.colormap}
          aria-label="Movie colour map"
          onChange={(e) => m.set({ colormap: e.target.value as ColormapName })}
        >
          {COLORMAPS.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label
        className="row"
        title="Pooled: one window for the whole movie (from 10 evenly spaced frames), so intensities compare across time. Per frame: re-derived for each frame."
      >
        <select
          value={s.contrastMode}
          aria-label="Movie contrast"
          onChange={(e) => m.set({ contrastMode: e.target.value as 'pooled' | 'frame' })}
        >
          <option value="pooled">fixed (pooled)</option>
          <option value="frame">per frame</option>
        </select>
      </label>
      <input
        type="range"
        className="movie-gain"
        aria-label="Movie brightness (display maximum)"
        title={`Display maximum: ${s.window.max.toPrecision(3)} locs/px/frame`}
        min={-3}
        max={3}
        step={0.05}
        disabled={none || s.contrastMode === 'frame'}
        value={0}
        onChange={(e) => {
          const f = 2 ** -Number(e.target.value);
          m.set({ window: { min: 0, max: s.window.max * f } });
          e.currentTarget.value = '0';
        }}
      />
      <span className="sep" />
      <label className="row" title="Show the EV channel (second channel) as a second colour layer">
        <input
          type="checkbox"
          checked={s.showEv}
          disabled={none || (s.built?.channels ?? 0) < 2}
          onChange={(e) => m.set({ showEv: e.target.checked })}
        />
        EV channel
      </label>
      <select
        value={s.evMode}
        aria-label="EV layer frames"
        title="EV layer: the raw frame at the window centre, or the mean of the S raw frames of the step holding the centre (the block the EV tracks are averaged over; S× less noise, still in step with the movie)"
        disabled={none || !s.showEv || (s.built?.channels ?? 0) < 2}
        onChange={(e) => m.set({ evMode: e.target.value as EvLayerMode })}
      >
        <option value="mean">mean of S frames</option>
        <option value="raw">raw centre frame</option>
      </select>
      <label className="row" title="Outlines of the binarized structures (or the threshold preview)">
        <input
          type="checkbox"
          checked={s.showOutlines}
          disabled={none}
          onChange={(e) => m.set({ showOutlines: e.target.checked, preview: e.target.checked })}
        />
        Outlines
      </label>
      <span className="spacer" />
      {drawRate !== null && (
        <span className="muted num" title="Frames drawn in the last second">
          {drawRate} fps drawn
        </span>
      )}
    </div>
  );
}

function PlayerBar() {
  const frame = useMovie((s) => s.frame);
  const info = useMovie((s) => s.info);
  const built = useMovie((s) => s.built);
  const playing = useMovie((s) => s.playing);
  const fps = useMovie((s) => s.fps);
  const loop = useMovie((s) => s.loop);
  const status = useMovie((s) => s.status);
  const m = movieStore.getState();
  const count = info?.ready ?? 0;
  const times =
    built && count > 0
      ? {
          start: frame * built.step * built.rawFrameIntervalS,
          centre: (frame * built.step + built.window / 2) * built.rawFrameIntervalS,
          end: (frame * built.step + built.window) * built.rawFrameIntervalS,
        }
      : null;
  return (
    <div className="frame-bar movie-bar">
      <button
        type="button"
        className="btn icon"
        disabled={count < 2}
        aria-label="Previous movie frame"
        title="Previous frame (←)"
        onClick={() => m.step(-1)}
      >
        ◀︎
      </button>
      <button
        type="button"
        className="btn icon"
        disabled={count < 2}
        aria-label={playing ? 'Pause movie' : 'Play movie'}
        title={playing ? 'Pause (space)' : 'Play (space)'}
        onClick={() => m.setPlaying(!playing)}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      <button
        type="button"
        className="btn icon"
        disabled={count < 2}
        aria-label="Next movie frame"
        title="Next frame (→)"
        onClick={() => m.step(1)}
      >
        ▶︎
      </button>
      <label className="row" title="Loop playback">
        <input type="checkbox" checked={loop} onChange={(e) => m.set({ loop: e.target.checked })} />
        <span className="muted">loop</span>
      </label>
      <label className="row" title="Playback speed, movie frames per second">
        <input
          className="fps-field"
          type="number"
          min={1}
          max={120}
          value={fps}
          aria-label="Movie playback speed (frames/s)"
          onChange={(e) =>
            m.set({ fps: Math.max(1, Math.min(120, Math.round(Number(e.target.value) || 1))) })
          }
        />
        <span className="muted">fps</span>
      </label>
      <input
        type="range"
        aria-label="Movie frame"
        min={0}
        max={Math.max(0, count - 1)}
        value={Math.min(frame, Math.max(0, count - 1))}
        disabled={count === 0}
        onChange={(e) => m.setFrame(Number(e.target.value))}
      />
      <span className="num movie-frame-label" data-testid="movie-frame">
        {count === 0 ? '—' : `${frame + 1} / ${count}`}
        {info && status === 'streaming' && info.expected > info.ready ? (
          <span className="muted"> (of {info.expected}, building)</span>
        ) : null}
      </span>
      {times && (
        <span className="num movie-time" data-testid="movie-time" title="Window start–end and centre">
          t = {formatSeconds(times.start)}–{formatSeconds(times.end)} s, centre {formatSeconds(times.centre)}{' '}
          s
        </span>
      )}
    </div>
  );
}
