// Fetches what the movie canvas draws: the current movie frame rendered by the movie worker and,
// when the stack has a second channel, the EV layer from the stack worker (the raw frame at the
// window's centre, or the mean of the S frames of the block holding it: core/movie/evFrames.ts). Both go through latest-only queues so playback and scrubbing never pile up requests.
import { useEffect, useRef, useState } from 'react';
import { evFramesFor } from '../../core/movie/evFrames';
import { latestOnly } from '../../engine/latestOnly';
import {
  type FrameRequest,
  movieService,
  type Overlay,
  type RenderedMovieFrame,
} from '../../engine/movieService';
import { type RenderResult, stackService } from '../../engine/stackService';
import { type MovieState, movieStore, useMovie } from '../../state/movieStore';

export function overlayOf(s: MovieState): Overlay {
  // The EV layer is drawn over the movie: outlines must not take its colour either.
  const alsoShown = s.showEv && (s.built?.channels ?? 0) > 1 ? [s.evColormap] : [];
  // A result restored from a session has no labels in the worker: the binarization outline at its
  // threshold shows the same pixels (without the selected structure's highlight).
  if (s.result && s.showOutlines && s.resultFromSession)
    return { kind: 'threshold', threshold: s.result.threshold, smoothSigmaPx: s.smoothSigmaPx, alsoShown };
  if (s.result && s.showOutlines) return { kind: 'structures', selected: s.selected ?? undefined, alsoShown };
  const t = s.method === 'manual' ? s.manualThreshold : s.threshold;
  if (s.preview && t !== null && Number.isFinite(t) && t > 0)
    return { kind: 'threshold', threshold: t, smoothSigmaPx: s.smoothSigmaPx, alsoShown };
  return { kind: 'none' };
}

export interface DrawnFrames {
  movie: RenderedMovieFrame | null;
  ev: RenderResult | null;
  error: string | null;
  /** Movie frames drawn per second over the last second (playback readout). */
  drawRate: number;
}

export function useMovieFrame(): DrawnFrames {
  const [movie, setMovie] = useState<RenderedMovieFrame | null>(null);
  const [ev, setEv] = useState<RenderResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stamps = useRef<number[]>([]);
  const frame = useMovie((s) => s.frame);
  const generation = useMovie((s) => s.info?.generation ?? -1);
  const ready = useMovie((s) => s.info?.ready ?? 0);
  const built = useMovie((s) => s.built);
  const colormap = useMovie((s) => s.colormap);
  const contrastMode = useMovie((s) => s.contrastMode);
  const window = useMovie((s) => s.window);
  const overlay = useMovie((s) => JSON.stringify(overlayOf(s)));
  const showEv = useMovie((s) => s.showEv);
  const evColormap = useMovie((s) => s.evColormap);
  const evMode = useMovie((s) => s.evMode);

  const queues = useRef<{
    movie: ReturnType<typeof latestOnly<FrameRequest, RenderedMovieFrame>>;
    ev: ReturnType<typeof latestOnly<{ start: number; count: number }, RenderResult>>;
  } | null>(null);
  if (!queues.current) {
    queues.current = {
      movie: latestOnly(
        (req: FrameRequest) => movieService.renderFrame(req),
        (res) => {
          const now = performance.now();
          stamps.current = [...stamps.current.filter((t) => now - t < 1000), now];
          setMovie(res);
          setError(null);
        },
        (e) => setError(e instanceof Error ? e.message : String(e)),
      ),
      ev: latestOnly(
        (r: { start: number; count: number }) => {
          const b = movieStore.getState().built!;
          const s = movieStore.getState();
          return stackService.render({
            stackId: b.stackId,
            frame: r.start,
            meanOf: r.count,
            layout: 'single',
            views: [
              { channel: 1, colormap: s.evColormap, contrast: { mode: 'auto', lowPct: 70, highPct: 99.95 } },
            ],
          });
        },
        (res) => setEv(res),
        () => setEv(null),
      ),
    };
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation (more localizations) must redraw the same frame
  useEffect(() => {
    if (!built || ready === 0) {
      setMovie(null);
      return;
    }
    queues.current!.movie.request({
      frame: Math.min(frame, ready - 1),
      colormap,
      contrast: contrastMode === 'frame' ? 'auto' : window,
      overlay: JSON.parse(overlay) as Overlay,
    });
  }, [frame, generation, ready, built, colormap, contrastMode, window, overlay]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the EV colour map is read inside the queue, but a change must re-render
  useEffect(() => {
    if (!built || !showEv || built.channels < 2 || ready === 0) {
      setEv(null);
      return;
    }
    queues.current!.ev.request(evFramesFor(frame, built, built.rawFrames, evMode));
  }, [frame, built, showEv, evColormap, evMode, ready]);

  return { movie, ev, error, drawRate: stamps.current.length };
}
