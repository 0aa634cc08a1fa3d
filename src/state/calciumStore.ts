// The Ca²⁺-response step: parameters for the active stack, the cells (segmented from the
// baseline's mean image, edited, or imported as ImageJ ROIs), the streamed run (partial ΔF/F₀ for
// the heat map while frames are read) and the per-cell result. Editing cells or parameters after
// a run marks the result stale; the next run uses the edited cells as they are.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import {
  addPolygonCell,
  type BleachCorrection,
  type CalciumParams,
  type CalciumResult,
  type CellResponse,
  type CellRow,
  deleteCells,
  mergeCells,
  type ResolvedResponseParams,
  type ResponseSummary,
  rasteriseRois,
  readRois,
  resolveResponseParams,
  responseParamProblems,
} from '../core/calcium';
import { type CalciumBackend, CancelledError, calciumService } from '../engine/calciumService';
import type { StackInfo } from '../engine/stackService';
import { registerResults } from './inputResults';
import { stoppedOnLeave } from './uiStore';

export interface CalciumUiParams {
  /** 0-based frame of the EV addition (shown 1-based). */
  addFrame: number;
  baselineStart: number;
  /** Exclusive. */
  baselineEnd: number;
  k: number;
  minFrames: number;
  refractoryFrames: number;
  bleach: BleachCorrection;
  frameIntervalS: number;
  smoothSigmaPx: number;
  thresholdMethod: 'triangle' | 'otsu';
  minAreaPx: number;
  splitTouching: boolean;
  channel: number;
}

export type CalciumStatus = 'idle' | 'preparing' | 'running' | 'done' | 'cancelled' | 'failed';

/** A result as the table and plots need it; dff/traces are absent for one restored from a session. */
export interface CalciumShownResult {
  cells: CellRow[];
  summary: ResponseSummary;
  alpha: number;
  frames: number;
  count: number;
  dff: Float32Array | null;
  /** Background-corrected F (cell-major) and the background per frame; null when restored. */
  traces: Float64Array | null;
  background: Float64Array | null;
  params: CalciumResult['params'];
}

export interface CalciumState {
  stackId: number | null;
  params: CalciumUiParams | null;
  status: CalciumStatus;
  error: string | null;
  notes: string[];
  width: number;
  height: number;
  meanImage: Float32Array | null;
  labels: Int32Array | null;
  count: number;
  /** Where the cells came from. */
  cellSource: 'segmentation' | 'rois' | 'edited' | null;
  progress: { framesDone: number; frameCount: number } | null;
  liveDff: Float32Array | null;
  /** Responses decided on the frames read so far (responder fraction, latencies), while running. */
  live: { framesDone: number; frameCount: number; cells: CellResponse[]; summary: ResponseSummary } | null;
  result: CalciumShownResult | null;
  /** The result no longer matches the cells or parameters. */
  stale: boolean;
  selected: number[];
  version: number;
}

export interface CalciumActions {
  forStack(info: StackInfo | null): void;
  setParams(patch: Partial<CalciumUiParams>): void;
  /** Mean image of the baseline and a fresh segmentation. */
  prepare(info: StackInfo): Promise<void>;
  resegment(): Promise<void>;
  deleteCells(ids: number[]): void;
  mergeCells(ids: number[]): void;
  addPolygon(xs: number[], ys: number[]): void;
  importRois(bytes: Uint8Array, name: string): void;
  run(info: StackInfo): Promise<CalciumShownResult | null>;
  cancel(): void;
  /** Stops work in flight whose end must not land here (leaving the input). */
  detach(): void;
  select(ids: number[]): void;
  loadSaved(saved: SavedCalcium, stackId: number | null): void;
  clear(): void;
}

export type CalciumStore = CalciumState & CalciumActions;

const EMPTY: CalciumState = {
  stackId: null,
  params: null,
  status: 'idle',
  error: null,
  notes: [],
  width: 0,
  height: 0,
  meanImage: null,
  labels: null,
  count: 0,
  cellSource: null,
  progress: null,
  liveDff: null,
  live: null,
  result: null,
  stale: false,
  selected: [],
  version: 0,
};

/** Defaults from the stack: a simulated Ca²⁺ stack knows its addition frame. */
export function defaultCalciumParams(
  info: Pick<StackInfo, 'frameCount' | 'meta' | 'recipe'>,
): CalciumUiParams {
  const r = info.recipe as { kind: string; params?: { scene?: { kind: string; addFrame?: number } } };
  const simAdd =
    r.kind === 'simulated' && r.params?.scene?.kind === 'calcium' ? r.params.scene.addFrame : undefined;
  const addFrame = Math.max(3, Math.min(info.frameCount - 1, simAdd ?? Math.floor(info.frameCount / 4)));
  return {
    addFrame,
    baselineStart: 0,
    baselineEnd: addFrame,
    k: 3,
    minFrames: 3,
    refractoryFrames: 5,
    bleach: simAdd !== undefined ? 'exp' : 'none',
    frameIntervalS: (info.meta.frameIntervalMs ?? 1000) / 1000,
    smoothSigmaPx: 1.5,
    thresholdMethod: 'triangle',
    minAreaPx: 20,
    splitTouching: true,
    channel: 0,
  };
}

export function toCalciumParams(p: CalciumUiParams): CalciumParams {
  return {
    addFrame: p.addFrame,
    baselineStart: p.baselineStart,
    baselineEnd: p.baselineEnd,
    k: p.k,
    minFrames: p.minFrames,
    refractoryFrames: p.refractoryFrames,
    bleach: p.bleach,
    frameIntervalS: p.frameIntervalS,
    segment: {
      smoothSigmaPx: p.smoothSigmaPx,
      method: p.thresholdMethod,
      minAreaPx: p.minAreaPx,
      splitTouching: p.splitTouching,
    },
  };
}

/** Problems with the parameters for a stack of `frames` frames (empty: runnable). */
export function calciumParamErrors(p: CalciumUiParams, frames: number): string[] {
  // The panel sets every response field: they are checked as they stand, no default fills a gap.
  return responseParamProblems(toCalciumParams(p) as ResolvedResponseParams, frames);
}

/**
 * What a session keeps: parameters, the cells (run-length coded), the baseline's mean image, the
 * per-cell table and every cell's ΔF/F₀ (cell-major), so a reviewer without the stack sees the plots.
 */
export interface SavedCalcium {
  params: CalciumUiParams;
  width: number;
  height: number;
  /** Runs "label,length;label,length;…" (one JSON string, however many cells). */
  labelsRle: string;
  cellSource: CalciumState['cellSource'];
  /** Absent in sessions written before the image travelled. */
  meanImage?: Float32Array | null;
  result: {
    cells: CellRow[];
    summary: ResponseSummary;
    alpha: number;
    frames: number;
    /** cells × frames; absent in older sessions (then only the table comes back). */
    dff?: Float32Array | null;
  } | null;
}

/** Runs of equal labels as "value,length;value,length;…". */
export function encodeLabels(labels: Int32Array): string {
  const out: string[] = [];
  for (let i = 0; i < labels.length; ) {
    let j = i + 1;
    while (j < labels.length && labels[j] === labels[i]) j++;
    out.push(`${labels[i]},${j - i}`);
    i = j;
  }
  return out.join(';');
}

export function decodeLabels(rle: string, length: number): Int32Array {
  const out = new Int32Array(length);
  let at = 0;
  for (const run of rle ? rle.split(';') : []) {
    const [v, n] = run.split(',').map(Number);
    if (!(Number.isInteger(v) && v >= 0 && Number.isInteger(n) && n > 0 && at + n <= length))
      throw new Error('damaged cell outlines');
    out.fill(v, at, at + n);
    at += n;
  }
  if (at !== length) throw new Error('the cell outlines do not cover the image');
  return out;
}

export function captureCalcium(s: CalciumState): SavedCalcium | null {
  if (!s.params || !s.labels) return null;
  return {
    params: s.params,
    width: s.width,
    height: s.height,
    labelsRle: encodeLabels(s.labels),
    cellSource: s.cellSource,
    meanImage: s.meanImage,
    result: s.result
      ? {
          cells: s.result.cells,
          summary: s.result.summary,
          alpha: s.result.alpha,
          frames: s.result.frames,
          dff: s.result.dff,
        }
      : null,
  };
}

const stackRef = (info: StackInfo, p: CalciumUiParams) => ({ recipe: info.recipe, channel: p.channel });

export function createCalciumStore(backend: () => CalciumBackend = calciumService) {
  let abort: AbortController | null = null;
  let prepareSeq = 0;
  // Stops work in flight without letting its end touch the state that follows (another input's,
  // a session's): a detached run's rejection and a detached segmentation change nothing.
  const detach = () => {
    const ctl = abort;
    abort = null;
    ctl?.abort();
    prepareSeq++;
  };
  return createStore<CalciumStore>()((set, get) => {
    const setCells = (labels: Int32Array, count: number, source: CalciumState['cellSource']) =>
      set((s) => ({
        labels,
        count,
        cellSource: source,
        stale: s.result !== null,
        selected: [],
        version: s.version + 1,
      }));
    const fail = (e: unknown) => set({ status: 'failed', error: e instanceof Error ? e.message : String(e) });

    return {
      ...EMPTY,
      forStack(info) {
        if (!info) return set({ ...EMPTY });
        if (get().stackId === info.id && get().params) return;
        detach();
        set({
          ...EMPTY,
          stackId: info.id,
          params: defaultCalciumParams(info),
          width: info.width,
          height: info.height,
        });
      },
      setParams(patch) {
        const p = get().params;
        if (!p) return;
        const next = { ...p, ...patch };
        // Moving the addition frame moves a baseline that ended at it.
        if (patch.addFrame !== undefined && patch.baselineEnd === undefined && p.baselineEnd === p.addFrame)
          next.baselineEnd = patch.addFrame;
        set((s) => ({ params: next, stale: s.result !== null }));
      },
      async prepare(info) {
        const p = get().params;
        if (!p) return;
        const seq = ++prepareSeq;
        set({ status: 'preparing', error: null });
        try {
          const mean = await backend().meanImage(stackRef(info, p), p.baselineStart, p.baselineEnd);
          if (seq !== prepareSeq) return;
          set({ meanImage: mean, width: info.width, height: info.height });
          await get().resegment();
          if (seq === prepareSeq && get().status === 'preparing') set({ status: 'idle' });
        } catch (e) {
          if (seq === prepareSeq) fail(e);
        }
      },
      async resegment() {
        const { meanImage, params: p, width, height } = get();
        if (!meanImage || !p) return;
        const seq = prepareSeq;
        const seg = await backend().segment(meanImage, width, height, toCalciumParams(p).segment ?? {});
        if (seq !== prepareSeq) return;
        setCells(seg.labels, seg.count, 'segmentation');
        set({
          notes: seg.count ? [] : ['The segmentation found no cells: lower the threshold or import ROIs.'],
        });
      },
      deleteCells(ids) {
        const l = get().labels;
        if (!l || !ids.length) return;
        const r = deleteCells(l, ids);
        setCells(r.labels, r.count, 'edited');
      },
      mergeCells(ids) {
        const l = get().labels;
        if (!l) return;
        try {
          const r = mergeCells(l, ids);
          setCells(r.labels, r.count, 'edited');
        } catch (e) {
          set({ notes: [e instanceof Error ? e.message : String(e)] });
        }
      },
      addPolygon(xs, ys) {
        const { width, height } = get();
        const l = get().labels ?? new Int32Array(width * height);
        try {
          const r = addPolygonCell(l, width, height, xs, ys);
          setCells(r.labels, r.count, 'edited');
        } catch (e) {
          set({ notes: [e instanceof Error ? e.message : String(e)] });
        }
      },
      importRois(bytes, name) {
        const { width, height } = get();
        try {
          const set0 = readRois(bytes, name);
          const r = rasteriseRois(set0.rois, width, height);
          const notes = set0.skipped.map((s) => `skipped ${s}`);
          if (r.overlapPx) notes.push(`${r.overlapPx} pixels lie in two ROIs; each went to the first`);
          if (r.outside.length) notes.push(`outside the image: ${r.outside.join(', ')}`);
          setCells(r.labels, set0.rois.length, 'rois');
          set({ notes: [`${set0.rois.length} ROIs from ${name}`, ...notes], error: null });
        } catch (e) {
          set({ notes: [`${name}: ${e instanceof Error ? e.message : String(e)}`] });
        }
      },
      async run(info) {
        const s = get();
        const p = s.params;
        if (!p) return null;
        const problems = calciumParamErrors(p, info.frameCount);
        if (problems.length) {
          set({ status: 'failed', error: problems.join('; ') });
          return null;
        }
        detach();
        const ctl = new AbortController();
        abort = ctl;
        set({
          status: 'running',
          error: null,
          progress: { framesDone: 0, frameCount: info.frameCount },
          liveDff: null,
          live: null,
        });
        try {
          const r = await backend().run(
            {
              ...stackRef(info, p),
              params: toCalciumParams(p),
              labels: s.labels ?? undefined,
              meanImage: s.meanImage ?? undefined,
            },
            (m) => {
              if (abort !== ctl) return;
              const { framesDone, frameCount } = m;
              set({
                progress: { framesDone, frameCount },
                liveDff: m.dff,
                live:
                  m.cells && m.summary
                    ? { framesDone, frameCount, cells: m.cells, summary: m.summary }
                    : null,
              });
            },
            ctl.signal,
          );
          if (abort !== ctl) return null;
          abort = null;
          const shown: CalciumShownResult = {
            cells: r.cells,
            summary: r.summary,
            alpha: r.alpha,
            frames: r.frames,
            count: r.count,
            dff: r.dff,
            traces: r.traces,
            background: r.background,
            params: r.params,
          };
          set((st) => ({
            status: 'done',
            result: shown,
            stale: false,
            liveDff: null,
            live: null,
            meanImage: r.meanImage,
            labels: r.labels,
            count: r.count,
            cellSource: st.cellSource ?? 'segmentation',
            width: r.width,
            height: r.height,
            selected: st.selected.filter((c) => c <= r.count),
            version: st.version + 1,
          }));
          return shown;
        } catch (e) {
          if (abort !== ctl) return null;
          abort = null;
          set({ live: null, liveDff: null });
          if (e instanceof CancelledError) set({ status: 'cancelled', error: null });
          else fail(e);
          return null;
        }
      },
      cancel() {
        abort?.abort();
      },
      detach,
      select(ids) {
        set({ selected: [...new Set(ids)].slice(0, 12) });
      },
      loadSaved(saved, stackId) {
        detach();
        const labels = decodeLabels(saved.labelsRle, saved.width * saved.height);
        let count = 0;
        for (const l of labels) if (l > count) count = l;
        const p = saved.params;
        const r = saved.result;
        const dff = r?.dff && r.dff.length === r.cells.length * r.frames ? r.dff : null;
        set({
          ...EMPTY,
          stackId,
          params: p,
          width: saved.width,
          height: saved.height,
          meanImage:
            saved.meanImage && saved.meanImage.length === saved.width * saved.height ? saved.meanImage : null,
          labels,
          count,
          cellSource: saved.cellSource,
          status: r ? 'done' : 'idle',
          result: r
            ? {
                cells: r.cells,
                summary: r.summary,
                alpha: r.alpha,
                frames: r.frames,
                count: r.cells.length,
                dff,
                traces: null,
                background: null,
                params: resolveResponseParams(toCalciumParams(p), r.frames),
              }
            : null,
          notes: !r
            ? []
            : dff
              ? ['Restored from the session: ΔF/F₀ as saved; run again for the background-corrected F.']
              : ['Restored from the session: run again for the traces and heat map.'],
        });
      },
      clear() {
        detach();
        set({ ...EMPTY });
      },
    };
  });
}

export const calciumStore = createCalciumStore();
export const useCalcium = <T>(sel: (s: CalciumStore) => T): T => useStore(calciumStore, sel);

// Ca²⁺ results belong to their stack: switching inputs puts them aside and brings them back. A
// run cannot follow its stack off screen (one worker), so leaving stops it; the previous result
// stays with the stack.
registerResults<CalciumStore>('calcium', {
  store: calciumStore,
  capture: (s) => {
    const busy = s.status === 'running' || s.status === 'preparing';
    if (busy) {
      s.detach();
      if (s.status === 'running') stoppedOnLeave('The Ca²⁺ analysis');
    }
    return {
      stackId: s.stackId,
      params: s.params,
      status: s.status === 'running' ? 'cancelled' : s.status === 'preparing' ? 'idle' : s.status,
      error: s.error,
      notes: s.notes,
      width: s.width,
      height: s.height,
      meanImage: s.meanImage,
      labels: s.labels,
      count: s.count,
      cellSource: s.cellSource,
      result: s.result,
      stale: s.stale,
      selected: s.selected,
    };
  },
  restore: (saved, s) => ({ ...EMPTY, ...saved, version: s.version + 1 }),
});
