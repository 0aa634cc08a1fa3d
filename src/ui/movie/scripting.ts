// window.evscope functions for the movie (console scripting and browser tests).

import { BinarizeSchema, type MovieParams, MovieParamsSchema } from '../../core/movie/params';
import type { MovieDtype } from '../../core/movie/quantise';
import { parseOrThrow, v } from '../../core/schema';
import type { TiffCompression } from '../../core/stack/tiffWriter';
import { movieService } from '../../engine/movieService';
import { registerScripting } from '../../scripting/api';
import { analyseStructures, buildMovie, chooseThreshold, movieStore } from '../../state/movieStore';
import { postRuntime } from '../post/postRuntime';
import { type ExportKind, runExport } from './exports';

registerScripting('buildMovie', async (params: Partial<MovieParams> = {}) => {
  postRuntime();
  const frames = await buildMovie(parseOrThrow(v.partial(MovieParamsSchema), params, 'buildMovie'));
  const s = movieStore.getState();
  if (s.status === 'failed') throw new Error(s.error ?? 'the movie could not be built');
  return {
    frames,
    expected: s.info?.expected ?? 0,
    width: s.built?.grid.width,
    height: s.built?.grid.height,
    source: s.built?.source,
    sourceRows: s.built?.sourceRows,
  };
});

registerScripting('movieFrame', (n: number) => movieService.frameStats(n));

registerScripting('movieState', () => {
  const s = movieStore.getState();
  return {
    status: s.status,
    frame: s.frame,
    playing: s.playing,
    ready: s.info?.ready ?? 0,
    threshold: s.threshold,
    source: s.built?.source ?? null,
    sourceRows: s.built?.sourceRows ?? null,
    structures: s.result?.count ?? null,
    colormap: s.colormap,
    connectivity: s.connectivity,
    /** True when the structure analysis came from a session file rather than this browser. */
    structuresFromSession: s.resultFromSession,
  };
});

registerScripting(
  'binarizeMovie',
  async (
    o: {
      method?: 'otsu' | 'manual';
      value?: number;
      sampleFrames?: number;
      smoothSigmaPx?: number;
      connectivity?: 8 | 26;
    } = {},
  ) => {
    const st = movieStore.getState();
    const { value, ...rest } = o;
    const patch = { ...rest, ...(value !== undefined ? { manualThreshold: value } : {}) };
    st.set(parseOrThrow(v.partial(BinarizeSchema), patch, 'binarizeMovie'));
    await chooseThreshold();
    const r = await analyseStructures();
    return { threshold: movieStore.getState().threshold, structures: r?.count ?? 0 };
  },
);

registerScripting(
  'exportMovie',
  (kind: ExportKind = 'tiff', o: { dtype?: MovieDtype; compression?: TiffCompression } = {}) => {
    movieStore.getState().set({
      ...(o.dtype ? { tiffDtype: o.dtype } : {}),
      ...(o.compression ? { tiffCompression: o.compression } : {}),
    });
    return runExport(kind);
  },
);
