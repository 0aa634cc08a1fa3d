// The super-resolution movie: its parameters, the build (fed from locsStore while localization
// streams), the player (frame, playback, zoom/pan), display settings, binarization and the
// structure results. The heavy work happens in the movie worker (movieService); this keeps what
// the UI shows and the actions that drive it.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { ColormapName } from '../core/display/colormaps';
import type { LocTable } from '../core/locs/table';
import type { EvLayerMode } from '../core/movie/evFrames';
import type { RenderGrid } from '../core/movie/grid';
import {
  type BinarizeParams,
  type CameraRoi,
  type CheckedMovieParams,
  type ContrastMode,
  checkMovieParams,
  DEFAULT_BINARIZE,
  DEFAULT_MOVIE_DISPLAY,
  DEFAULT_MOVIE_PARAMS,
  type MovieParamErrors,
  type MovieParams,
  type MovieSource,
  pastEndNote,
} from '../core/movie/params';
import type { MovieDtype } from '../core/movie/quantise';
import { framesPastEnd } from '../core/movie/window';
import { PHYSICAL_DEFAULTS } from '../core/physicalDefaults';
import type { TiffCompression } from '../core/stack/tiffWriter';
import { type MovieStatus, movieService, type StructureResult } from '../engine/movieService';
import { isCancelled } from '../engine/workerErrors';
import { activeStack, dataStore, effectiveMeta } from './dataStore';
import { activeInput, type InputId, registerResults } from './inputResults';
import { type LocsState, locsStore } from './locsStore';
import { postStore } from './postStore';
import { uiStore } from './uiStore';
import { fitTransform, imageViewActions } from './viewerStore';

export type BuildStatus = 'idle' | 'building' | 'streaming' | 'ready' | 'stale' | 'failed';

export interface JobProgress {
  label: string;
  done: number;
  total: number;
  startedAt: number;
}

export interface BuiltMovie {
  grid: RenderGrid;
  roi: CameraRoi;
  window: number;
  step: number;
  rawFrames: number;
  rawFrameIntervalS: number;
  /** Camera pixel size, for drawing the EV channel under the movie. */
  cameraPixelNm: number;
  stackId: number;
  channels: number;
  /** The table it was built from, and its rows then. */
  source: MovieSource;
  sourceRows: number;
}

export type { ContrastMode } from '../core/movie/params';

export interface MovieState {
  params: MovieParams;
  errors: MovieParamErrors;
  notes: string[];
  status: BuildStatus;
  error: string | null;
  built: BuiltMovie | null;
  info: MovieStatus | null;
  build: JobProgress | null;
  // player
  frame: number;
  playing: boolean;
  fps: number;
  loop: boolean;
  zoom: number;
  panX: number;
  panY: number;
  fit: boolean;
  viewport: { w: number; h: number };
  // display
  colormap: ColormapName;
  contrastMode: ContrastMode;
  window: { min: number; max: number };
  showEv: boolean;
  /** EV layer: the raw frame at the window centre, or the mean of the S frames of its block. */
  evMode: EvLayerMode;
  evColormap: ColormapName;
  showOutlines: boolean;
  // binarization
  method: 'otsu' | 'manual';
  sampleFrames: number;
  manualThreshold: number;
  smoothSigmaPx: number;
  connectivity: BinarizeParams['connectivity'];
  threshold: number | null;
  preview: boolean;
  analysis: JobProgress | null;
  result: StructureResult | null;
  /** The result came from a session file: the worker holds no labels, outlines come from the threshold. */
  resultFromSession: boolean;
  selected: number | null;
  exporting: JobProgress | null;
  /** Movie TIFF export: pixel type (integers with one recorded scale) and codec for every TIFF. */
  tiffDtype: MovieDtype;
  tiffCompression: TiffCompression;

  setParams(p: Partial<MovieParams>): void;
  set(p: Partial<MovieState>): void;
  setFrame(f: number): void;
  step(d: number): void;
  setPlaying(p: boolean): void;
  setViewport(w: number, h: number): void;
  fitToWindow(): void;
  zoomAt(factor: number, sx?: number, sy?: number): void;
  panBy(dx: number, dy: number): void;
}

/** Frames the player may show: the final ones, or all arrived so far while streaming. */
export function playableFrames(s: Pick<MovieState, 'info'>): number {
  return s.info?.ready ?? 0;
}

function clamp(f: number, count: number) {
  return count <= 0 ? 0 : Math.max(0, Math.min(count - 1, Math.round(f)));
}

function imageOf(s: MovieState) {
  return s.built ? { w: s.built.grid.width, h: s.built.grid.height } : { w: 0, h: 0 };
}

const view = imageViewActions<MovieState>(imageOf);

/** No movie built: the start, and an input whose movie is gone. */
const NO_MOVIE = {
  errors: {} as MovieState['errors'],
  notes: [] as string[],
  status: 'idle' as MovieState['status'],
  error: null,
  built: null,
  info: null,
  build: null,
  frame: 0,
  playing: false,
  result: null,
  resultFromSession: false,
  selected: null,
  threshold: null,
  analysis: null,
  exporting: null,
  fit: true,
} satisfies Partial<MovieState>;

export const movieStore = createStore<MovieState>()((set) => ({
  params: DEFAULT_MOVIE_PARAMS,
  ...NO_MOVIE,
  fps: 30,
  loop: true,
  zoom: 1,
  panX: 0,
  panY: 0,
  viewport: { w: 0, h: 0 },
  ...DEFAULT_MOVIE_DISPLAY,
  evMode: 'mean',
  ...DEFAULT_BINARIZE,
  preview: true,
  tiffDtype: 'float32',
  tiffCompression: 'none',

  setParams: (p) => set((s) => ({ params: { ...s.params, ...p } })),
  set: (p) => set(p),
  setFrame: (f) => set((s) => ({ frame: clamp(f, playableFrames(s)) })),
  step: (d) =>
    set((s) => {
      const n = playableFrames(s);
      if (n === 0) return s;
      const f = s.frame + d;
      return { frame: s.loop ? ((f % n) + n) % n : clamp(f, n) };
    }),
  setPlaying: (playing) => set((s) => ({ playing: playing && playableFrames(s) > 1 })),
  setViewport: (w, h) =>
    set((s) => {
      const viewport = { w, h };
      return s.fit ? { viewport, ...fitTransform(viewport, imageOf(s)) } : { viewport };
    }),
  fitToWindow: () => set((s) => ({ fit: true, ...fitTransform(s.viewport, imageOf(s)) })),
  zoomAt: (factor, sx, sy) => set((s) => view.zoomAt(s, factor, sx, sy)),
  panBy: (dx, dy) => set((s) => view.panBy(s, dx, dy)),
}));

export const useMovie = <T>(sel: (s: MovieState) => T): T => useStore(movieStore, sel);

// ---- actions ----

let buildSeq = 0;
/**
 * Chunks of locsStore already sent to the worker, which array they came from, and which run
 * (stack and parameters) made them.
 */
let fed: { build: number; chunks: readonly unknown[]; sent: number; source: string } | null = null;

const sourceOf = (l: LocsState) => JSON.stringify([l.stackId, l.params ?? null]);

/**
 * A finished re-run with the same parameters on the same stack gave the localizations the movie
 * already holds (fitting is deterministic): nothing is stale.
 */
function sameAsBuilt(l: LocsState): boolean {
  const info = movieStore.getState().info;
  return (
    !!fed &&
    !!info &&
    l.status === 'done' &&
    fed.source === sourceOf(l) &&
    info.localizations + info.dropped === l.count
  );
}
let feeding: { build: number; done: Promise<void> } | null = null;

/** Enabled post-processing steps of the active input. */
export function hasPostSteps(): boolean {
  return postStore.getState().steps.some((st) => st.enabled !== false);
}

/** The table a build uses: the user's choice, else post-processed when there are steps to apply. */
export function movieSource(p: MovieParams = movieStore.getState().params): MovieSource {
  return p.source ?? (hasPostSteps() ? 'post' : 'raw');
}

/** Rows of each table the movie can be built from (post: null until Post-process has run). */
export function sourceRows(): { raw: number; post: number | null } {
  const post = postStore.getState();
  return {
    raw: locsStore.getState().count,
    post: post.status === 'done' && post.summary ? post.summary.rowsOut : null,
  };
}

export const SOURCE_LABEL: Record<MovieSource, string> = {
  raw: 'Raw localizations',
  post: 'After post-process',
};

/** "Raw localizations (14,804)" / "After post-process (7,678)". */
export function sourceLabel(source: MovieSource, rows: number | null): string {
  return rows === null ? SOURCE_LABEL[source] : `${SOURCE_LABEL[source]} (${rows.toLocaleString('en-US')})`;
}

/** The post-processed table, settled (the Post-process engine lives in the UI layer and registers it). */
let processedTable: (() => Promise<LocTable>) | null = null;
export function setProcessedTableSource(fn: () => Promise<LocTable>): void {
  processedTable = fn;
}

/** The input whose movie the worker holds (one movie at a time). */
let movieInput: InputId = null;

/** The parameters checked against the active stack (for the panel's live messages). */
export function checkAgainstActive(p: MovieParams = movieStore.getState().params): CheckedMovieParams | null {
  const st = activeStack(dataStore.getState());
  if (!st) return null;
  return checkMovieParams(p, {
    rawFrames: st.info.frameCount,
    cameraWidth: st.info.width,
    cameraHeight: st.info.height,
    cameraPixelNm: effectiveMeta(st).pixelSizeNm,
  });
}

function fail(message: string, hint?: string) {
  movieStore.setState({ status: 'failed', error: message, build: null });
  uiStore.getState().notify('error', 'Movie', message, hint);
}

/** Localized raw frames according to the localization run (all of them once it is done). */
function localizedFrames(l: LocsState, rawFrames: number): number {
  if (l.status === 'running') return l.progress?.framesDone ?? 0;
  return rawFrames;
}

/** The run's localizations are no longer an extension of those sent (a new run, a new CSV). */
function replacedSinceSent(l: LocsState, sent: { chunks: readonly unknown[]; sent: number }): boolean {
  return (
    l.chunks !== sent.chunks &&
    (l.chunks.length < sent.sent || (sent.sent > 0 && l.chunks[0] !== sent.chunks[0]))
  );
}

/**
 * Sends the chunks not yet sent and then the localized-frame count, read from the same snapshot
 * of locsStore as the chunks, so frames are never marked ready whose localizations were not sent.
 * It repeats until locsStore stood still during a pass: a run that ends mid-pass (while the
 * movie is still building, when nothing else would notice) still turns the movie ready.
 */
async function feed(build: number): Promise<void> {
  const s = movieStore.getState();
  if (!fed || fed.build !== build || !s.built) return;
  const startedAt = movieStore.getState().build?.startedAt ?? performance.now();
  let now = locsStore.getState();
  for (;;) {
    if (replacedSinceSent(now, fed)) {
      // A movie built as a run starts has sent nothing yet, so the run's chunks are adopted.
      movieStore.setState({ status: 'stale', playing: false });
      return;
    }
    fed.chunks = now.chunks;
    while (fed.sent < now.chunks.length) {
      const info = await movieService.append(now.chunks[fed.sent]);
      if (build !== buildSeq) return;
      fed.sent++;
      const total = now.chunks.length;
      movieStore.setState({
        info,
        build: { label: 'Adding localizations', done: fed.sent, total, startedAt },
      });
    }
    const running = now.status === 'running';
    const info = await movieService.setLocalizedFrames(localizedFrames(now, s.built.rawFrames));
    if (build !== buildSeq) return;
    const before = movieStore.getState();
    // The pooled display window was taken from whatever was built: retake it when the first
    // frames complete and when the run ends, or a movie built while streaming stays black.
    const retakeContrast =
      (info.ready > 0 && (before.info?.ready ?? 0) === 0) || (!running && before.status === 'streaming');
    movieStore.setState((st) => ({
      info,
      status: running ? 'streaming' : 'ready',
      build: running ? st.build : null,
      frame: clamp(st.frame, info.ready),
    }));
    if (retakeContrast) await refreshContrast();
    const after = locsStore.getState();
    if (after.chunks === now.chunks && after.status === now.status && after.progress === now.progress) return;
    now = after;
  }
}

/** Feeds the movie worker, one feed at a time (two would send the same chunk twice). */
function pump(build: number): Promise<void> {
  if (feeding) return feeding.build === build ? feeding.done : feeding.done.then(() => pump(build));
  const done = feed(build)
    .catch((e) => fail(`Adding localizations to the movie failed: ${e instanceof Error ? e.message : e}`))
    .finally(() => {
      if (feeding?.done === done) feeding = null;
      // Chunks that arrived meanwhile (not once the movie went stale or failed: feed() would return
      // at once and this would spin forever on microtasks).
      const l = locsStore.getState();
      const live = movieStore.getState().status;
      if (
        fed &&
        fed.build === build &&
        build === buildSeq &&
        (live === 'streaming' || live === 'ready') &&
        l.chunks.length > fed.sent
      )
        pump(build);
    });
  feeding = { build, done };
  return done;
}

/** Forgets the built movie (the worker's copy is replaced by the next build). */
function dropMovie() {
  buildSeq++;
  fed = null;
  movieStore.setState({
    status: 'idle',
    built: null,
    info: null,
    build: null,
    result: null,
    selected: null,
    frame: 0,
    playing: false,
  });
}

locsStore.subscribe((l, prev) => {
  const s = movieStore.getState();
  // The localizations were cleared (a fresh start, another session): nothing is left for the
  // movie to be stale against, and "stale" would send the user to rebuild from nothing.
  if (s.built && prev.count > 0 && l.count === 0 && l.status !== 'running') return dropMovie();
  // A movie of the post-processed table does not stream: new localizations make it out of date.
  if (s.built?.source === 'post' && l.chunks !== prev.chunks && s.status === 'ready') {
    movieStore.setState({ status: 'stale', playing: false });
    return;
  }
  if (s.status === 'stale' && fed && sameAsBuilt(l)) {
    fed.chunks = l.chunks;
    fed.sent = l.chunks.length;
    movieStore.setState({ status: 'ready' });
    return;
  }
  if (!fed || !s.built || (s.status !== 'streaming' && s.status !== 'ready')) return;
  if (l.chunks === prev.chunks && l.status === prev.status && l.progress === prev.progress) return;
  pump(fed.build);
});

export async function refreshContrast(): Promise<void> {
  const s = movieStore.getState();
  if (!s.built || s.contrastMode !== 'pooled') return;
  const window = await movieService.contrast(10, 99.5);
  movieStore.setState({ window });
}

/** Builds the movie from the localizations in locsStore; resolves with the final frame count. */
export async function buildMovie(override?: Partial<MovieParams>): Promise<number> {
  const store = movieStore.getState();
  if (override) store.setParams(override);
  const params = movieStore.getState().params;
  const st = activeStack(dataStore.getState());
  if (!st) {
    fail('No stack is open', 'Open a stack (or the demo) in the Data step first.');
    return 0;
  }
  const checked = checkAgainstActive(params);
  if (!checked?.ok) {
    movieStore.setState({ errors: checked && !checked.ok ? checked.errors : {}, status: 'failed' });
    const first = checked && !checked.ok ? Object.values(checked.errors)[0] : 'invalid parameters';
    fail(`The movie parameters are invalid: ${first}`);
    return 0;
  }
  const l = locsStore.getState();
  if (l.count === 0 && l.status !== 'running') {
    fail(
      'There are no localizations to build the movie from',
      'Run the Localize step or load a ThunderSTORM CSV.',
    );
    return 0;
  }
  const source = movieSource(params);
  let post: LocTable | null = null;
  if (source === 'post') {
    if (l.status === 'running') {
      fail(
        'The post-processed localizations are final only when the localization run ends',
        'Wait for the run, or build from the raw localizations (they stream in as they are found).',
      );
      return 0;
    }
    try {
      if (!processedTable) throw new Error('Post-process is not running');
      post = await processedTable();
    } catch (e) {
      fail(
        `The post-processed localizations are not available: ${e instanceof Error ? e.message : String(e)}`,
        'Check the Post-process step, or build from the raw localizations.',
      );
      return 0;
    }
    if (post.length === 0) {
      fail(
        'Post-process leaves no localizations to build the movie from',
        'Loosen the Post-process filters, or build from the raw localizations.',
      );
      return 0;
    }
  }
  const first = post ?? l.chunks[0];
  if (params.sigma.kind === 'precision' && first && !first.columns.precision) {
    fail(
      'These localizations have no precision column, so σ cannot follow the precision',
      'Choose a fixed σ (nm) in the Movie step.',
    );
    return 0;
  }
  const past = framesPastEnd(
    (post ? [post] : l.chunks).map((t) => t.columns.frame),
    st.info.frameCount,
  );
  const pastNote = pastEndNote(past, st.info.frameCount, params);
  if (pastNote) uiStore.getState().notify('warning', 'Movie', pastNote);
  const build = ++buildSeq;
  const meta = effectiveMeta(st);
  const intervalS = (meta.frameIntervalMs ?? 5) / 1000;
  const built: BuiltMovie = {
    grid: checked.grid,
    roi: checked.roi,
    window: params.window,
    step: params.step,
    rawFrames: st.info.frameCount,
    rawFrameIntervalS: intervalS,
    cameraPixelNm: meta.pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm,
    stackId: st.info.id,
    channels: st.info.channels,
    source,
    sourceRows: post ? post.length : l.count,
  };
  movieInput = st.info.id;
  fed = null;
  movieStore.setState((s) => ({
    errors: {},
    notes: pastNote ? [...checked.notes, pastNote] : checked.notes,
    status: 'building',
    error: null,
    built,
    result: null,
    resultFromSession: false,
    selected: null,
    threshold: s.method === 'manual' ? s.manualThreshold : null,
    frame: 0,
    playing: false,
    build: { label: 'Preparing', done: 0, total: post ? 1 : l.chunks.length, startedAt: performance.now() },
  }));
  movieStore.getState().fitToWindow();
  try {
    const info = await movieService.configure({
      window: params.window,
      step: params.step,
      grid: checked.grid,
      sigma: params.sigma,
      frameIntervalS: intervalS,
      rawFrames: st.info.frameCount,
    });
    if (build !== buildSeq) return 0;
    movieStore.setState({ info });
    if (post) await feedOnce(build, post, st.info.frameCount);
    else {
      fed = { build, chunks: locsStore.getState().chunks, sent: 0, source: sourceOf(locsStore.getState()) };
      await pump(build);
    }
    if (build !== buildSeq) return 0;
    await refreshContrast();
    return movieStore.getState().info?.ready ?? 0;
  } catch (e) {
    if (build === buildSeq) fail(`Building the movie failed: ${e instanceof Error ? e.message : String(e)}`);
    return 0;
  }
}

/** A finished table (post-processed): sent once, nothing streams after it. */
async function feedOnce(build: number, table: LocTable, rawFrames: number): Promise<void> {
  const startedAt = movieStore.getState().build?.startedAt ?? performance.now();
  await movieService.append(table);
  if (build !== buildSeq) return;
  movieStore.setState({ build: { label: 'Adding localizations', done: 1, total: 1, startedAt } });
  const info = await movieService.setLocalizedFrames(rawFrames);
  if (build !== buildSeq) return;
  movieStore.setState((st) => ({ info, status: 'ready', build: null, frame: clamp(st.frame, info.ready) }));
}

// A movie built from the post-processed table is out of date once the steps change.
postStore.subscribe((p, prev) => {
  const s = movieStore.getState();
  if (p.steps === prev.steps || s.built?.source !== 'post') return;
  if (s.status === 'ready') movieStore.setState({ status: 'stale', playing: false });
});

/** Stops feeding the worker; the frames built so far stay playable. */
export function cancelBuild(): void {
  buildSeq++;
  movieStore.setState((s) => ({ build: null, status: s.info && s.info.ready > 0 ? 'ready' : 'idle' }));
}

let analysisCancel: (() => void) | null = null;

/** Otsu (pooled over `sampleFrames` frames) or the manual value; sets `threshold`. */
export async function chooseThreshold(): Promise<number> {
  const s = movieStore.getState();
  const t =
    s.method === 'otsu' ? await movieService.otsu(s.sampleFrames, s.smoothSigmaPx) : s.manualThreshold;
  movieStore.setState({ threshold: t });
  return t;
}

export async function analyseStructures(): Promise<StructureResult | null> {
  const s = movieStore.getState();
  if (!s.built || !s.info || s.info.ready === 0) throw new Error('build the movie first');
  const threshold = await chooseThreshold();
  if (!Number.isFinite(threshold))
    throw new Error('Otsu found no split (the pooled frames are flat): set a threshold by hand');
  const startedAt = performance.now();
  movieStore.setState({
    analysis: { label: 'Labelling structures', done: 0, total: s.info.ready, startedAt },
  });
  const job = movieService.analyse(
    { threshold, smoothSigmaPx: s.smoothSigmaPx, connectivity: s.connectivity },
    (done, total) =>
      movieStore.setState({ analysis: { label: 'Labelling structures', done, total, startedAt } }),
  );
  analysisCancel = job.cancel;
  try {
    const result = await job.promise;
    movieStore.setState({
      result,
      resultFromSession: false,
      analysis: null,
      selected: null,
      showOutlines: true,
    });
    return result;
  } catch (e) {
    movieStore.setState({ analysis: null });
    if (isCancelled(e)) return null;
    throw e;
  } finally {
    analysisCancel = null;
  }
}

export function cancelAnalysis(): void {
  analysisCancel?.();
}

let exportCancel: (() => void) | null = null;

export async function exportTiff(kind: 'movie' | 'mask' | 'labels'): Promise<Blob | null> {
  const s = movieStore.getState();
  if (!s.built || !s.info?.ready) throw new Error('build the movie first');
  let threshold = s.threshold;
  if (kind !== 'movie' && threshold === null) threshold = await chooseThreshold();
  const label =
    kind === 'movie' ? 'Writing movie TIFF' : kind === 'mask' ? 'Writing binary TIFF' : 'Writing label TIFF';
  const startedAt = performance.now();
  movieStore.setState({ exporting: { label, done: 0, total: 1, startedAt } });
  const job = movieService.exportTiff(
    kind,
    {
      threshold: threshold ?? undefined,
      smoothSigmaPx: s.smoothSigmaPx,
      connectivity: s.connectivity,
      dtype: s.tiffDtype,
      compression: s.tiffCompression,
    },
    (done, total) => movieStore.setState({ exporting: { label, done, total, startedAt } }),
  );
  exportCancel = job.cancel;
  try {
    return await job.promise;
  } catch (e) {
    if (isCancelled(e)) return null;
    throw e;
  } finally {
    exportCancel = null;
    movieStore.setState({ exporting: null });
  }
}

export function setExportProgress(p: JobProgress | null, cancel: (() => void) | null = null) {
  exportCancel = cancel;
  movieStore.setState({ exporting: p });
}

export function cancelExport(): void {
  exportCancel?.();
}

// The movie, its structures and the player position belong to the input; display settings stay
// the user's. The worker holds one movie: leaving an input stops its build, and coming back to
// an input whose movie was since replaced by another's shows its parameters but no movie.
registerResults<MovieState>('movie', {
  store: movieStore,
  capture: (s) => {
    const inFlight = s.status === 'building' || s.status === 'streaming';
    if (inFlight) {
      buildSeq++;
      fed = null;
    }
    analysisCancel?.();
    exportCancel?.();
    return {
      params: s.params,
      errors: s.errors,
      notes: s.notes,
      status: inFlight ? ((s.info?.ready ?? 0) > 0 ? 'stale' : 'idle') : s.status,
      error: s.error,
      built: s.built,
      info: s.info,
      frame: s.frame,
      result: s.result,
      resultFromSession: s.resultFromSession,
      selected: s.selected,
      threshold: s.threshold,
      zoom: s.zoom,
      panX: s.panX,
      panY: s.panY,
      fit: s.fit,
    };
  },
  restore: (saved, s) => {
    // A new input keeps the user's movie settings, but a region of interest belongs to a camera.
    if (!saved) return { ...NO_MOVIE, params: { ...s.params, roi: null } };
    if (saved.built && movieInput !== activeInput())
      return {
        ...NO_MOVIE,
        params: saved.params,
        notes: ['The movie worker now holds a movie of another input: build this one again.'],
      };
    return { ...NO_MOVIE, ...saved };
  },
});
