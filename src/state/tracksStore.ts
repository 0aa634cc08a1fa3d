// The Tracks & distances step: parameters for the active stack, the two runs (tracking or
// import, then the distance analysis) with progress, rate and time left, their results, the
// selected track and how the overlay colours tracks. A cancelled or failed run keeps the
// previous result on screen.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { PostStep } from '../core/locs/pipeline';
import { PHYSICAL_DEFAULTS } from '../core/physicalDefaults';
import type { Affine } from '../core/registration/affine';
import { fromAffine6, isIdentity6 } from '../core/registration/affine6';
import type { StackInfo } from '../engine/stackService';
import {
  CancelledError,
  type DistanceResult,
  type PalmLocalizations,
  type TracksBackend,
  type TracksProgress,
  type TracksResult,
  tracksService,
} from '../engine/tracksService';
import { effectiveMeta, type LoadedStack } from './dataStore';
import { registerResults } from './inputResults';
import { locsStore, locsTable } from './locsStore';
import { phaseRate } from './phaseRate';
import { postStore } from './postStore';
import { toReferenceAffine } from './registrationStore';
import { paramsForStack } from './stackParams';
import {
  defaultTracksParams,
  distanceErrors,
  distanceKey,
  filterFor,
  frameIntervalS,
  histogramFor,
  localizeFor,
  movieFor,
  type TracksParams,
  thresholdFor,
  trackingErrors,
  trackingKey,
} from './tracksParams';
import { stoppedOnLeave } from './uiStore';

export type TracksRunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';
export type TrackColouring = 'time' | 'distance';

export interface TracksRunProgress extends TracksProgress {
  /** Items per second in the current phase (frames, movie frames). */
  rate: number;
  etaSeconds: number;
}

export interface TracksState {
  stackId: number | null;
  params: TracksParams | null;
  /** Which run is going: only one at a time (they share the worker). */
  running: 'tracking' | 'distances' | null;
  trackStatus: TracksRunStatus;
  distanceStatus: TracksRunStatus;
  progress: TracksRunProgress | null;
  error: string | null;
  tracks: TracksResult | null;
  tracksStackId: number | null;
  tracksKey: string | null;
  distances: DistanceResult | null;
  distancesKey: string | null;
  /** The tracks the distances were measured on (a new tracking makes the distances stale). */
  distancesTracks: TracksResult | null;
  selectedTrack: number | null;
  colouring: TrackColouring;
  showOverlay: boolean;
  /** Histogram as counts or percent. */
  histogramUnits: 'counts' | 'percent';
}

export interface TracksActions {
  forStack(info: StackInfo | null): void;
  setParams(patch: Partial<TracksParams>): void;
  runTracking(st: LoadedStack): Promise<TracksResult | null>;
  importTracks(
    st: LoadedStack,
    text: string,
    fileName: string,
    format: 'csv' | 'text',
  ): Promise<TracksResult | null>;
  runDistances(st: LoadedStack): Promise<DistanceResult | null>;
  cancel(): void;
  selectTrack(id: number | null): void;
  setColouring(c: TrackColouring): void;
  setShowOverlay(show: boolean): void;
  setHistogramUnits(u: 'counts' | 'percent'): void;
  /** Stops the run in flight without writing anything more (its input is no longer on screen). */
  detach(): void;
  clear(): void;
}

export type TracksStore = TracksState & TracksActions;

const EMPTY: TracksState = {
  stackId: null,
  params: null,
  running: null,
  trackStatus: 'idle',
  distanceStatus: 'idle',
  progress: null,
  error: null,
  tracks: null,
  tracksStackId: null,
  tracksKey: null,
  distances: null,
  distancesKey: null,
  distancesTracks: null,
  selectedTrack: null,
  colouring: 'time',
  showOverlay: true,
  histogramUnits: 'percent',
};

export interface TracksStoreDeps {
  backend: () => TracksBackend;
  /** PALM localizations of the stack (channel 0), or null when there are none. */
  palm: (stackId: number) => PalmLocalizations | null;
  /** Two-colour registration: EV-channel nm → PALM-channel nm, or null (identity). */
  evAffine: (stackId: number, channel: number) => Affine | null;
}

/** The active localizations, if they belong to this stack. */
export function palmFromLocsStore(stackId: number): PalmLocalizations | null {
  const s = locsStore.getState();
  if (s.stackId !== stackId || s.count === 0) return null;
  const t = locsTable();
  const c = t.columns;
  const precision = c.precision;
  return {
    length: t.length,
    frame: c.frame as Uint32Array,
    x: c.x as Float64Array,
    y: c.y as Float64Array,
    precision: precision instanceof Float32Array || precision instanceof Float64Array ? precision : undefined,
  };
}

/**
 * The control region the user drew: the first enabled Region step of Post-process (a rectangle
 * or polygon drawn on the reconstruction, nm). Throws a sentence the panel shows when none exists.
 */
export function drawnControl(steps: readonly PostStep[]): { kind: 'polygon'; x: number[]; y: number[] } {
  const step = steps.find((s) => s.kind === 'region' && s.enabled !== false && !s.invert);
  if (step?.kind !== 'region')
    throw new Error(
      'No drawn region: add a Region step in Post-process and draw the cell on the reconstruction (Shift+drag), or choose another control region.',
    );
  const r = step.region;
  return r.kind === 'rect'
    ? { kind: 'polygon', x: [r.x0, r.x1, r.x1, r.x0], y: [r.y0, r.y0, r.y1, r.y1] }
    : { kind: 'polygon', x: [...r.x], y: [...r.y] };
}

/**
 * The registration of the EV channel onto channel 0 (EV-channel nm → channel-0 nm), from the
 * registration step (beads → a per-stack affine per channel); null while none is set.
 */
export function registeredEvAffine(stackId: number, channel: number): Affine | null {
  const t = toReferenceAffine(stackId, channel);
  return isIdentity6(t) ? null : fromAffine6(t);
}

const DEFAULT_DEPS: TracksStoreDeps = {
  backend: tracksService,
  palm: palmFromLocsStore,
  evAffine: registeredEvAffine,
};

/** The track with most positions: selected by default so the per-track plots show something. */
function longestTrack(r: TracksResult): number | null {
  const s = r.summary.columns;
  let best = -1;
  for (let i = 0; i < r.summary.length; i++) if (best < 0 || s.positions[i] > s.positions[best]) best = i;
  return best < 0 ? null : s.track[best];
}

export function createTracksStore(deps: TracksStoreDeps = DEFAULT_DEPS) {
  let abort: AbortController | null = null;

  return createStore<TracksStore>()((set, get) => {
    /** Progress with the rate of the current phase. */
    function progressHandler(ctl: AbortController) {
      const withRate = phaseRate<TracksProgress>();
      return (p: TracksProgress) => {
        if (!ctl.signal.aborted) set({ progress: withRate(p) });
      };
    }

    function start(kind: 'tracking' | 'distances'): AbortController {
      abort?.abort();
      const ctl = new AbortController();
      abort = ctl;
      set({
        running: kind,
        error: null,
        progress: null,
        ...(kind === 'tracking' ? { trackStatus: 'running' } : { distanceStatus: 'running' }),
      });
      return ctl;
    }

    function fail(kind: 'tracking' | 'distances', ctl: AbortController, e: unknown) {
      if (abort !== ctl) return;
      const cancelled = e instanceof CancelledError || ctl.signal.aborted;
      const status: TracksRunStatus = cancelled ? 'cancelled' : 'failed';
      set({
        running: null,
        progress: null,
        error: cancelled ? null : e instanceof Error ? e.message : String(e),
        ...(kind === 'tracking' ? { trackStatus: status } : { distanceStatus: status }),
      });
    }

    /** One run: started, cancelled or failed in one place; a run replaced by a newer one is dropped. */
    async function run<R>(
      kind: 'tracking' | 'distances',
      work: (ctl: AbortController) => Promise<R>,
      done: (r: R) => void,
    ): Promise<R | null> {
      const ctl = start(kind);
      try {
        const r = await work(ctl);
        if (abort !== ctl) return null;
        done(r);
        return r;
      } catch (e) {
        fail(kind, ctl, e);
        return null;
      } finally {
        if (abort === ctl) abort = null;
      }
    }

    function tracksDone(r: TracksResult, stackId: number, key: string | null) {
      set({
        running: null,
        progress: null,
        trackStatus: 'done',
        tracks: r,
        tracksStackId: stackId,
        tracksKey: key,
        selectedTrack: longestTrack(r),
      });
    }

    return {
      ...EMPTY,
      forStack: paramsForStack(get, set, defaultTracksParams),
      setParams(patch) {
        const p = get().params;
        if (p) set({ params: { ...p, ...patch } });
      },
      async runTracking(st) {
        const p = get().params;
        if (!p) return null;
        const errors = trackingErrors(p, st);
        if (errors.length) {
          set({ trackStatus: 'failed', error: errors.join('\n') });
          return null;
        }
        return run(
          'tracking',
          async (ctl) => {
            const localize = localizeFor(p, st);
            const onProgress = progressHandler(ctl);
            const backend = deps.backend();
            // Spots found on a localization pool of every core first; the tracks worker only links.
            const detections = backend.detect
              ? await backend.detect({
                  stack: st.info,
                  channel: p.channel,
                  params: localize,
                  signal: ctl.signal,
                  onProgress,
                })
              : undefined;
            return backend.track(
              {
                recipe: st.info.recipe,
                channel: p.channel,
                localize,
                link: { maxLinkDistance: p.radiusNm, maxGap: p.maxGap },
                filter: filterFor(p),
                frameIntervalS: frameIntervalS(st),
                detections,
              },
              onProgress,
              ctl.signal,
            );
          },
          (r) => tracksDone(r, st.info.id, trackingKey(p)),
        );
      },
      async importTracks(st, text, fileName, format) {
        const p = get().params;
        if (!p) return null;
        return run(
          'tracking',
          () =>
            deps.backend().importTracks({
              text,
              fileName,
              format,
              pixelSizeNm: effectiveMeta(st).pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm,
              frameBase: p.frameBase,
              filter: filterFor(p),
              frameIntervalS: frameIntervalS(st),
            }),
          (r) => tracksDone(r, st.info.id, null),
        );
      },
      async runDistances(st) {
        const p = get().params;
        const tracks = get().tracks;
        if (!p) return null;
        const errors = distanceErrors(p, st);
        if (!tracks || get().tracksStackId !== st.info.id)
          errors.push('There are no tracks of this stack: run tracking or import tracks first.');
        const locs = deps.palm(st.info.id);
        if (!locs)
          errors.push(
            'There are no PALM localizations of this stack to build the movie from: run Localize on channel 1 (or load its CSV) first.',
          );
        if (p.controlRegion === 'drawn') {
          try {
            drawnControl(postStore.getState().steps);
          } catch (e) {
            errors.push(e instanceof Error ? e.message : String(e));
          }
        }
        if (errors.length) {
          set({ distanceStatus: 'failed', error: errors.join('\n') });
          return null;
        }
        const meta = effectiveMeta(st);
        return run(
          'distances',
          (ctl) =>
            deps.backend().distances(
              {
                tracks: tracks!.tracks,
                locs: locs!,
                rawFrames: st.info.frameCount,
                rawFrameIntervalS: frameIntervalS(st),
                camera: {
                  width: st.info.width,
                  height: st.info.height,
                  pixelNm: meta.pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm,
                },
                movie: movieFor(p),
                threshold: thresholdFor(p),
                evAffine: tracks!.source.kind === 'tracked' ? deps.evAffine(st.info.id, p.channel) : null,
                control:
                  p.controlRegion === 'cell'
                    ? { kind: 'cell', recipe: st.info.recipe, channel: 0, smoothPx: 2 }
                    : p.controlRegion === 'drawn'
                      ? drawnControl(postStore.getState().steps)
                      : { kind: 'field' },
                controlPerFrame: p.controlPerFrame,
                cutoffNm: p.cutoffNm,
                histogram: histogramFor(p),
                pooling: p.pooling,
              },
              progressHandler(ctl),
              ctl.signal,
            ),
          (r) =>
            set({
              running: null,
              progress: null,
              distanceStatus: 'done',
              distances: r,
              distancesKey: distanceKey(p),
              distancesTracks: tracks,
            }),
        );
      },
      cancel() {
        abort?.abort();
      },
      selectTrack(selectedTrack) {
        set({ selectedTrack });
      },
      setColouring(colouring) {
        set({ colouring });
      },
      setShowOverlay(showOverlay) {
        set({ showOverlay });
      },
      setHistogramUnits(histogramUnits) {
        set({ histogramUnits });
      },
      detach() {
        abort?.abort();
        abort = null;
      },
      clear() {
        abort?.abort();
        set((s) => ({ ...EMPTY, colouring: s.colouring, showOverlay: s.showOverlay }));
      },
    };
  });
}

export const tracksStore = createTracksStore();

// Tracks and distances belong to their stack. A run cannot follow its stack off screen (it
// shares one worker), so leaving the stack cancels it; the previous result stays with the stack.
registerResults<TracksStore>('tracks', {
  store: tracksStore,
  capture: (s) => {
    if (s.running) {
      s.detach();
      stoppedOnLeave('Tracking and distances');
    }
    const status = (st: TracksRunStatus): TracksRunStatus => (st === 'running' ? 'cancelled' : st);
    return {
      stackId: s.stackId,
      params: s.params,
      running: null,
      trackStatus: status(s.trackStatus),
      distanceStatus: status(s.distanceStatus),
      progress: null,
      error: s.error,
      tracks: s.tracks,
      tracksStackId: s.tracksStackId,
      tracksKey: s.tracksKey,
      distances: s.distances,
      distancesKey: s.distancesKey,
      distancesTracks: s.distancesTracks,
      selectedTrack: s.selectedTrack,
    };
  },
  restore: (saved, s) => ({
    ...EMPTY,
    colouring: s.colouring,
    showOverlay: s.showOverlay,
    histogramUnits: s.histogramUnits,
    ...saved,
  }),
});

export const useTracks = <T>(sel: (s: TracksStore) => T): T => useStore(tracksStore, sel);

/** Tracks made with other tracking parameters than now (imports never go stale). */
export function tracksStale(s: TracksState): boolean {
  return !!(s.tracks && s.params && s.tracksKey !== null && s.tracksKey !== trackingKey(s.params));
}

/** Distances made with other parameters, or on other tracks, than now. */
export function distancesStale(s: TracksState): boolean {
  if (!s.distances || !s.params) return false;
  return s.distancesKey !== distanceKey(s.params) || s.distancesTracks !== s.tracks;
}
