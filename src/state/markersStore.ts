// The EV-marker step: parameters for the active stack, the run (status, progress with rate and
// time left, errors), the result table and its classification, and the selected EV with its
// traces. Threshold, name, count-method and test changes re-type the existing result in the
// worker; anything else marks the result stale until the next run.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { ClassifyChannel } from '../core/ev/classify';
import {
  CancelledError,
  type EvTraces,
  type LocalizationInput,
  type MarkersBackend,
  type MarkersClassified,
  type MarkersProgress,
  type MarkersResult,
  markersService,
} from '../engine/markersService';
import type { StackInfo } from '../engine/stackService';
import { registerResults } from './inputResults';
import { locsStore, locsTable } from './locsStore';
import {
  defaultMarkersParams,
  type MarkerChannelConfig,
  type MarkersParams,
  markersParamErrors,
  runKey,
  toEvParams,
} from './markersParams';
import { phaseRate } from './phaseRate';
import {
  hasRegistration,
  registrationAffines,
  registrationKey,
  registrationLabel,
} from './registrationStore';
import { paramsForStack } from './stackParams';
import { stoppedOnLeave } from './uiStore';

export type MarkersStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export interface MarkersRunProgress extends MarkersProgress {
  /** Work items per second in the current phase (frames for traces, EVs for steps). */
  rate: number;
  etaSeconds: number;
}

export interface MarkersState {
  stackId: number | null;
  params: MarkersParams | null;
  status: MarkersStatus;
  progress: MarkersRunProgress | null;
  error: string | null;
  result: MarkersResult | null;
  /** Stack and run key of the result, to tell when it no longer matches the parameters. */
  resultStackId: number | null;
  resultKey: string | null;
  /** Bumps on every classification change so plots re-render cheaply. */
  version: number;
  selected: number | null;
  traces: EvTraces | null;
  /** EV outlines drawn over the raw frames. */
  showOverlay: boolean;
}

export interface MarkersActions {
  /** Parameters for a stack (defaults from its metadata); keeps them if it is the same stack. */
  forStack(info: StackInfo | null): void;
  setParams(patch: Partial<MarkersParams>): void;
  setChannel(index: number, patch: Partial<MarkerChannelConfig>): void;
  rename(defaultName: string, name: string): void;
  run(info: StackInfo, pixelSizeNm: number | undefined): Promise<MarkersResult | null>;
  cancel(): void;
  select(ev: number | null): Promise<void>;
  setShowOverlay(show: boolean): void;
  /** Stops the run in flight without writing anything more (its input is no longer on screen). */
  detach(): void;
  /**
   * Shows a saved result (a session opened without raw frames): table, classification and
   * statistics as they were. Re-typing and traces need the worker's counts: `run` again.
   */
  loadResult(
    stackId: number | null,
    params: MarkersParams,
    result: MarkersResult,
    resultKey: string | null,
  ): void;
  clear(): void;
}

export type MarkersStore = MarkersState & MarkersActions;

const EMPTY: MarkersState = {
  stackId: null,
  params: null,
  status: 'idle',
  progress: null,
  error: null,
  result: null,
  resultStackId: null,
  resultKey: null,
  version: 0,
  selected: null,
  traces: null,
  showOverlay: true,
};

/** Parameters that only re-type: which changed since the result? */
function classifyKey(p: MarkersParams): string {
  return JSON.stringify([p.channels.map((c) => [c.name, c.role, c.threshold]), p.method, p.rename, p.test]);
}

function classifyChannels(p: MarkersParams): ClassifyChannel[] {
  return p.channels
    .filter((c) => c.role !== 'skip')
    .map((c) => ({ name: c.name.trim(), role: c.role as 'marker' | 'probe', threshold: c.threshold }));
}

export function createMarkersStore(backend: () => MarkersBackend = markersService) {
  let abort: AbortController | null = null;
  let classifiedKey: string | null = null;
  let reclassifySeq = 0;
  let selectSeq = 0;
  /** The stack whose counts the worker holds (traces and re-typing need them). */
  let countedStackId: number | null = null;

  return createStore<MarkersStore>()((set, get) => {
    /** Re-types the result when only classification parameters changed (and they are valid). */
    const maybeReclassify = () => {
      const s = get();
      if (!s.result || !s.params || s.status === 'running') return;
      const key = classifyKey(s.params);
      if (key === classifiedKey) return;
      // Names or roles changed: the result's columns no longer match; the next run fixes it.
      const resultNames = s.result.channels.map((c) => `${c.name}:${c.role}`).join('|');
      const now = classifyChannels(s.params)
        .map((c) => `${c.name}:${c.role}`)
        .join('|');
      if (resultNames !== now) return;
      if (s.params.channels.some((c) => !(c.threshold >= 0))) return;
      // Typing by localizations needs a result that counted them.
      if (s.params.method === 'locs' && !Object.keys(s.result.columns).some((k) => k.endsWith(' locs')))
        return;
      const seq = ++reclassifySeq;
      const params = s.params;
      backend()
        .reclassify({
          columns: s.result.columns,
          channels: classifyChannels(params),
          method: params.method,
          rename: params.rename,
          test: params.test,
        })
        .then((c: MarkersClassified) => {
          if (seq !== reclassifySeq || !get().result) return;
          classifiedKey = key;
          set((st) => ({
            result: st.result && { ...st.result, ...c },
            version: st.version + 1,
            error: null,
          }));
        })
        .catch((e: unknown) => set({ error: e instanceof Error ? e.message : String(e) }));
    };

    return {
      ...EMPTY,
      forStack: paramsForStack(get, set, defaultMarkersParams),
      setParams(patch) {
        const p = get().params;
        if (!p) return;
        set({ params: { ...p, ...patch } });
        maybeReclassify();
      },
      setChannel(index, patch) {
        const p = get().params;
        if (!p) return;
        let channels = p.channels.map((c, i) => (i === index ? { ...c, ...patch } : c));
        // One probe at most: choosing a new one returns the old one to the markers.
        if (patch.role === 'probe')
          channels = channels.map((c, i) =>
            i !== index && c.role === 'probe' ? { ...c, role: 'marker' } : c,
          );
        // A renamed channel's subtype renames refer to names that no longer exist.
        const rename = patch.name !== undefined ? {} : p.rename;
        set({ params: { ...p, channels, rename } });
        maybeReclassify();
      },
      rename(defaultName, name) {
        const p = get().params;
        if (!p) return;
        const rename = { ...p.rename };
        if (!name.trim() || name.trim() === defaultName) delete rename[defaultName];
        else rename[defaultName] = name.trim();
        set({ params: { ...p, rename } });
        maybeReclassify();
      },
      async run(info, pixelSizeNm) {
        const params = get().params;
        if (!params) return null;
        const errors = markersParamErrors(params, info, pixelSizeNm);
        if (errors.length) {
          set({ status: 'failed', error: errors.join('\n') });
          return null;
        }
        abort?.abort();
        const ctl = new AbortController();
        abort = ctl;
        const withRate = phaseRate<MarkersProgress>();
        let localizations: LocalizationInput | undefined;
        if (params.locs.use) {
          const ls = locsStore.getState();
          if (ls.stackId !== info.id || ls.count === 0) {
            set({
              status: 'failed',
              error:
                'There are no localizations of this stack to count: run Localize on it (or load its CSV) first.',
            });
            return null;
          }
          const t = locsTable();
          const { use: _u, channel, ...locParams } = params.locs;
          localizations = {
            channelName: params.channels.find((c) => c.channel === channel)!.name.trim(),
            frame: t.columns.frame,
            x: t.columns.x,
            y: t.columns.y,
            params: locParams,
          };
        }
        set({ status: 'running', error: null, progress: null });
        const regKey = registrationKey(info.id);
        try {
          const result = await backend().run(
            {
              recipe: info.recipe,
              params: {
                ...toEvParams(params, pixelSizeNm),
                // The Data step's two-colour registration places each channel's ROIs.
                ...(hasRegistration(info.id)
                  ? {
                      registration: {
                        toReference: registrationAffines(info.id, info.channels),
                        label: registrationLabel(info.id),
                      },
                    }
                  : {}),
              },
              method: params.method,
              localizations,
              test: params.test,
            },
            (p) => {
              if (!ctl.signal.aborted) set({ progress: withRate(p) });
            },
            ctl.signal,
          );
          if (abort !== ctl) return null;
          classifiedKey = classifyKey(params);
          countedStackId = info.id;
          set((s) => ({
            status: 'done',
            progress: null,
            result,
            resultStackId: info.id,
            resultKey: runKey(params, pixelSizeNm) + regKey,
            version: s.version + 1,
            selected: null,
            traces: null,
          }));
          // Thresholds edited while it ran apply now.
          maybeReclassify();
          return result;
        } catch (e) {
          if (abort !== ctl) return null;
          // The previous result stays on screen: a cancelled or failed run replaces nothing.
          if (e instanceof CancelledError || ctl.signal.aborted) set({ status: 'cancelled', progress: null });
          else set({ status: 'failed', progress: null, error: e instanceof Error ? e.message : String(e) });
          return null;
        } finally {
          if (abort === ctl) abort = null;
        }
      },
      cancel() {
        abort?.abort();
      },
      detach() {
        abort?.abort();
        abort = null;
        ++reclassifySeq;
        ++selectSeq;
      },
      setShowOverlay(showOverlay) {
        set({ showOverlay });
      },
      loadResult(stackId, params, result, resultKey) {
        abort?.abort();
        // The worker holds no counts for this result: no re-typing until it is counted again.
        classifiedKey = classifyKey(params);
        countedStackId = null;
        set((s) => ({
          stackId,
          params,
          status: 'done',
          progress: null,
          error: null,
          result,
          resultStackId: stackId,
          resultKey,
          version: s.version + 1,
          selected: null,
          traces: null,
        }));
      },
      async select(ev) {
        const seq = ++selectSeq;
        if (ev === null || !get().result) {
          set({ selected: null, traces: null });
          return;
        }
        set({ selected: ev });
        if (get().resultStackId !== countedStackId) {
          set({
            traces: null,
            error: "The worker holds the counts of another stack now: Run again to see this EV's traces.",
          });
          return;
        }
        try {
          const traces = await backend().traces(ev);
          if (seq === selectSeq) set({ traces });
        } catch (e) {
          if (seq === selectSeq) set({ traces: null, error: e instanceof Error ? e.message : String(e) });
        }
      },
      clear() {
        abort?.abort();
        classifiedKey = null;
        set((s) => ({ ...EMPTY, showOverlay: s.showOverlay, version: s.version + 1 }));
      },
    };
  });
}

export const markersStore = createMarkersStore();

// EV counts belong to their stack. A run cannot follow its stack off screen (one worker), so
// leaving the stack cancels it; the previous result stays with the stack.
registerResults<MarkersStore>('markers', {
  store: markersStore,
  capture: (s) => {
    if (s.status === 'running') {
      s.detach();
      stoppedOnLeave('EV-marker counting');
    }
    return {
      stackId: s.stackId,
      params: s.params,
      status: s.status === 'running' ? 'cancelled' : s.status,
      progress: null,
      error: s.error,
      result: s.result,
      resultStackId: s.resultStackId,
      resultKey: s.resultKey,
      selected: s.selected,
      traces: s.traces,
    };
  },
  restore: (saved, s) => ({ ...EMPTY, showOverlay: s.showOverlay, ...saved, version: s.version + 1 }),
});

export const useMarkers = <T>(sel: (s: MarkersStore) => T): T => useStore(markersStore, sel);

/** Whether the result was made with other run parameters or another stack than now. */
export function isStale(s: MarkersState, pixelSizeNm: number | undefined): boolean {
  if (!s.result || !s.params) return false;
  return (
    s.resultStackId !== s.stackId ||
    s.resultKey !== runKey(s.params, pixelSizeNm) + registrationKey(s.stackId)
  );
}
