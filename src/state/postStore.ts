// Post-processing: the step list (plain data, with undo/redo as snapshots) and what the last
// run over the raw localizations produced. The raw table lives untouched in locsStore; the
// processed one lives in the render worker, so only summaries and the drift trace are here.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { FrcResult } from '../core/locs/frc';
import type { NenaResult } from '../core/locs/nena';
import type { PostStep } from '../core/locs/pipeline';
import type { ProcessSummary } from '../engine/renderService';
import { registerResults } from './inputResults';

export type Computation<T> =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; result: T; forVersion: number }
  | { status: 'failed'; error: string };

export interface PostState {
  steps: PostStep[];
  /** Earlier step lists, most recent last; `future` holds what undo took back. */
  past: PostStep[][];
  future: PostStep[][];
  status: 'idle' | 'running' | 'done' | 'failed';
  summary: ProcessSummary | null;
  error: string | null;
  /** Bumps whenever the processed table in the worker changes (views re-render on it). */
  processedVersion: number;
  /** beforeMerge: computed on the table before the first merge step (see stepsBeforeMerge). */
  nena: Computation<NenaResult & { beforeMerge?: boolean }>;
  frc: Computation<FrcResult>;
  /** Replaces the step list, recording the previous one for undo. */
  setSteps(steps: PostStep[]): void;
  addStep(step: PostStep): void;
  updateStep(index: number, step: PostStep): void;
  removeStep(index: number): void;
  moveStep(index: number, delta: -1 | 1): void;
  toggleStep(index: number): void;
  undo(): void;
  redo(): void;
  setRunning(): void;
  setResult(summary: ProcessSummary): void;
  setFailed(error: string): void;
  setNena(c: Computation<NenaResult & { beforeMerge?: boolean }>): void;
  setFrc(c: Computation<FrcResult>): void;
}

/** Undo depth; older snapshots drop off. */
export const MAX_HISTORY = 100;

/** No steps and nothing processed: the start, and an input with no steps of its own. */
const NO_STEPS = {
  steps: [] as PostStep[],
  past: [] as PostStep[][],
  future: [] as PostStep[][],
  status: 'idle',
  summary: null,
  error: null,
  nena: { status: 'idle' },
  frc: { status: 'idle' },
} satisfies Partial<PostState>;

export const postStore = createStore<PostState>()((set, get) => {
  const commit = (steps: PostStep[]) =>
    set((s) => ({ steps, past: [...s.past, s.steps].slice(-MAX_HISTORY), future: [] }));
  return {
    ...NO_STEPS,
    processedVersion: 0,
    setSteps: commit,
    addStep: (step) => commit([...get().steps, step]),
    updateStep: (i, step) => commit(get().steps.map((s, k) => (k === i ? step : s))),
    removeStep: (i) => commit(get().steps.filter((_, k) => k !== i)),
    moveStep: (i, d) => {
      const steps = [...get().steps];
      const j = i + d;
      if (j < 0 || j >= steps.length) return;
      [steps[i], steps[j]] = [steps[j], steps[i]];
      commit(steps);
    },
    toggleStep: (i) =>
      commit(get().steps.map((s, k) => (k === i ? { ...s, enabled: s.enabled === false } : s))),
    undo: () =>
      set((s) =>
        s.past.length === 0
          ? s
          : { steps: s.past[s.past.length - 1], past: s.past.slice(0, -1), future: [s.steps, ...s.future] },
      ),
    redo: () =>
      set((s) =>
        s.future.length === 0
          ? s
          : { steps: s.future[0], future: s.future.slice(1), past: [...s.past, s.steps] },
      ),
    setRunning: () => set({ status: 'running' }),
    setResult: (summary) =>
      set((s) => ({
        status: 'done',
        summary,
        error: null,
        // NeNA and FRC keep their result; `forVersion` tells the panel they describe an older table.
        processedVersion: s.processedVersion + 1,
      })),
    setFailed: (error) => set((s) => ({ status: 'failed', error, processedVersion: s.processedVersion + 1 })),
    setNena: (nena) => set({ nena }),
    setFrc: (frc) => set({ frc }),
  };
});

export const usePost = <T>(sel: (s: PostState) => T): T => useStore(postStore, sel);

// The step list, its history and what it produced belong to the input; a new input starts with none.
registerResults<PostState>('post', {
  store: postStore,
  capture: ({ steps, past, future, status, summary, error, nena, frc }) => ({
    steps,
    past,
    future,
    status,
    summary,
    error,
    nena,
    frc,
  }),
  restore: (saved, s) => ({
    ...NO_STEPS,
    ...saved,
    processedVersion: s.processedVersion + 1,
  }),
});
