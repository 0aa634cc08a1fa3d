// Localizations of the active run: streamed chunks in frame order, the run's progress and the
// parameters that made them. Everything downstream (histograms, table, reconstruction, movie,
// ground-truth comparison) reads from here; `version` bumps on every change so views can
// re-render cheaply without comparing tables.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { GrowingLocTable } from '../core/locs/growingTable';
import type { LocTable } from '../core/locs/table';
import { type InputId, readResults, registerResults, updateResults } from './inputResults';

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export interface RunProgress {
  framesDone: number;
  framesTotal: number;
  localizations: number;
  framesPerSecond: number;
  etaSeconds: number;
}

export interface LocsState {
  /** The input (stack, or imported table) the localizations belong to. */
  stackId: number | null;
  /** Names the run that is writing the table (0: none); a run only writes into its own table. */
  runId: number;
  /** Chunks as they arrived (frame order); use `locsTable()` for one table. */
  chunks: LocTable[];
  count: number;
  version: number;
  status: RunStatus;
  progress: RunProgress | null;
  error: string | null;
  /** Parameters of the run, as plain data (for sessions and "stale" detection). */
  params: unknown;
  startRun(stackId: number | null, params: unknown, framesTotal: number): void;
  append(chunk: LocTable): void;
  setProgress(p: RunProgress): void;
  finish(status: Exclude<RunStatus, 'idle' | 'running'>, error?: string): void;
  /** Replaces everything, e.g. with an imported CSV. */
  load(stackId: number | null, table: LocTable, params: unknown): void;
  clear(): void;
}

const EMPTY = {
  stackId: null,
  runId: 0,
  chunks: [],
  count: 0,
  status: 'idle' as RunStatus,
  progress: null,
  error: null,
  params: null,
};

let runSeq = 0;

export const locsStore = createStore<LocsState>()((set) => ({
  ...EMPTY,
  version: 0,
  startRun: (stackId, params, framesTotal) =>
    set((s) => ({
      ...EMPTY,
      stackId,
      runId: ++runSeq,
      params,
      status: 'running',
      progress: { framesDone: 0, framesTotal, localizations: 0, framesPerSecond: 0, etaSeconds: Number.NaN },
      version: s.version + 1,
    })),
  append: (chunk) =>
    set((s) => ({ chunks: [...s.chunks, chunk], count: s.count + chunk.length, version: s.version + 1 })),
  setProgress: (progress) => set({ progress }),
  // What was computed stays: a cancel or a failure only changes the status.
  finish: (status, error) => set((s) => ({ status, error: error ?? null, version: s.version + 1 })),
  load: (stackId, table, params) =>
    set((s) => ({
      ...EMPTY,
      stackId,
      params,
      chunks: [table],
      count: table.length,
      status: 'done',
      version: s.version + 1,
    })),
  clear: () => set((s) => ({ ...EMPTY, version: s.version + 1 })),
}));

type LocsData = Omit<LocsState, 'startRun' | 'append' | 'setProgress' | 'finish' | 'load' | 'clear'>;

registerResults<LocsState>('locs', {
  store: locsStore,
  capture: ({ stackId, runId, chunks, count, status, progress, error, params }) => ({
    stackId,
    runId,
    chunks,
    count,
    status,
    progress,
    error,
    params,
  }),
  // `version` only ever grows: views and caches key on it.
  restore: (saved, s) => ({ ...EMPTY, ...saved, version: s.version + 1 }),
});

/** Where a run writes: its input's table, on screen or put aside while another input is shown. */
export const locsOf = {
  read: (input: InputId): Partial<LocsData> | undefined => readResults<LocsState>(input, 'locs'),
  update: (input: InputId, change: (s: LocsState) => Partial<LocsState>) =>
    updateResults<LocsState>(input, 'locs', change),
};

let cache: { version: number; table: LocTable } | null = null;
// The chunks folded into `grown` so far: a streaming run only adds chunks, so each change copies
// the new rows once instead of concatenating the whole table again.
let grown: { table: GrowingLocTable; first: LocTable; last: LocTable; count: number } | null = null;

function grownTable(chunks: readonly LocTable[]): LocTable {
  const g = grown;
  const extends_ =
    g !== null && chunks.length >= g.count && chunks[0] === g.first && chunks[g.count - 1] === g.last;
  const table = extends_ ? g.table : new GrowingLocTable();
  for (let i = extends_ ? g.count : 0; i < chunks.length; i++) table.append(chunks[i]);
  grown = chunks.length
    ? { table, first: chunks[0], last: chunks[chunks.length - 1], count: chunks.length }
    : null;
  return table.table();
}

/** All localizations as one table, once per change (views of growing buffers: copy before transferring). */
export function locsTable(): LocTable {
  const s = locsStore.getState();
  if (!cache || cache.version !== s.version) cache = { version: s.version, table: grownTable(s.chunks) };
  return cache.table;
}

export const useLocs = <T>(sel: (s: LocsState) => T): T => useStore(locsStore, sel);
