// The experiment on screen: its inputs grouped cell → condition (core/experiment/model.ts), the
// parameter set of each step, and the batch queue's state per input — with each finished input's
// summary and nothing heavier. The stacks, tables and movies of an input live only while the
// batch analyses it (experimentRun.ts), so this store grows by one summary per input.
// Files are not state: they sit in experimentFiles.ts (a File cannot be persisted or saved).
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import {
  compareIds,
  EXPERIMENT_FORMAT,
  EXPERIMENT_VERSION,
  type Experiment,
  type ExperimentInput,
  type ExperimentSteps,
  inferInputs,
  inputIds,
  uniqueIds,
} from '../core/experiment/model';
import { canonicalJson } from '../core/experiment/plan';
import type { SimulationParams } from '../core/sim/params';

export type InputRunStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

/** What one input's batch run has come to; `summary` is the input's whole contribution. */
export interface InputRun {
  status: InputRunStatus;
  /** The step running now, e.g. "localize", and how far it is (0–1). */
  phase?: string;
  progress?: number;
  error?: string;
  /** The summary of a finished input (plain JSON, from core/experiment). */
  summary?: unknown;
  /** The steps' parameters the summary was made with: a summary from other parameters is stale. */
  stepsKey?: string;
  /**
   * The result's resume key (inputHash: steps, input and its files' content fingerprints); a
   * file dropped again that gives another key changed, and the input runs again.
   */
  inputHash?: string;
}

export type QueueStatus = 'idle' | 'running' | 'cancelling';

export interface ExperimentState {
  experiment: Experiment | null;
  /** The name pattern cell and condition are inferred with (see compilePattern). */
  pattern: string;
  /** Simulated inputs: the recipe that regenerates each one (the demo), by input id. */
  simulated: Record<string, SimulationParams>;
  /** Known answer of a simulated experiment, shown beside the results. */
  truth: unknown;
  /**
   * Metrics tested between conditions (the Holm family), chosen before looking at results;
   * null: the primary metric of the furthest step that ran.
   */
  tested: string[] | null;
  /** Name and size of each file input, to match a re-dropped folder after a reload. */
  fileMeta: Record<string, { name: string; size: number }>;
  runs: Record<string, InputRun>;
  queue: QueueStatus;
  /** The user wants the batch to run: kept across a reload so the queue resumes. */
  wanted: boolean;
  /** Bumps on every change worth persisting. */
  version: number;
}

export const DEFAULT_PATTERN = '{condition}/{cell}_*';

const EMPTY: Omit<ExperimentState, 'version'> = {
  experiment: null,
  pattern: DEFAULT_PATTERN,
  simulated: {},
  truth: null,
  tested: null,
  fileMeta: {},
  runs: {},
  queue: 'idle',
  wanted: false,
};

export const experimentStore = createStore<ExperimentState>()(() => ({ ...EMPTY, version: 0 }));

export const useExperiment = <T>(sel: (s: ExperimentState) => T): T => useStore(experimentStore, sel);

/** Applies a change and marks the state for persisting. */
export function updateExperiment(change: (s: ExperimentState) => Partial<ExperimentState>): void {
  experimentStore.setState((s) => ({ ...change(s), version: s.version + 1 }));
}

export function resetExperiment(): void {
  experimentStore.setState((s) => ({ ...EMPTY, version: s.version + 1 }));
}

export function emptyExperiment(title = ''): Experiment {
  return { format: EXPERIMENT_FORMAT, version: EXPERIMENT_VERSION, title, inputs: [], steps: {} };
}

/** A stable key of the steps' parameters: a summary made with another key is stale. */
export function stepsKey(steps: ExperimentSteps): string {
  return canonicalJson(steps);
}

// ------------------------------------------------------------------------ inputs

export interface AddedPaths {
  /** Inputs made, in the order of `paths`. */
  inputs: ExperimentInput[];
  /** Paths the pattern did not match: added with cell and condition to fill in. */
  unmatched: string[];
  /** Paths already in the experiment (same path): not added twice. */
  duplicates: string[];
}

/**
 * Inputs for new paths: cell and condition from the pattern where it matches, else "?" for the
 * user to fill in (nothing dropped is silently lost). Ids are unique within the experiment.
 */
export function inputsForPaths(
  existing: readonly ExperimentInput[],
  paths: readonly string[],
  pattern: string,
): AddedPaths {
  const have = new Set(existing.map((x) => x.path));
  const duplicates = paths.filter((p) => have.has(p.replace(/\\/g, '/')));
  const fresh = [...new Set(paths.map((p) => p.replace(/\\/g, '/')))].filter((p) => !have.has(p));
  let inferred: Map<string, { cell: string; condition: string }>;
  try {
    inferred = new Map(inferInputs(fresh, pattern).inputs.map((x) => [x.path, x]));
  } catch {
    inferred = new Map();
  }
  const ids = uniqueIds(
    inputIds(fresh),
    existing.map((x) => x.id),
  );
  const unmatched: string[] = [];
  const inputs = fresh.map((path, k) => {
    const m = inferred.get(path);
    if (!m) unmatched.push(path);
    return { id: ids[k], path, cell: m?.cell ?? '?', condition: m?.condition ?? '?' };
  });
  return { inputs, unmatched, duplicates };
}

/** Preview of the pattern over the experiment's paths: what each input would become. */
export function previewPattern(
  inputs: readonly ExperimentInput[],
  pattern: string,
): {
  rows: { id: string; path: string; cell: string | null; condition: string | null }[];
  error: string | null;
} {
  try {
    const m = new Map(
      inferInputs(
        inputs.map((x) => x.path),
        pattern,
      ).inputs.map((x) => [x.path, x]),
    );
    return {
      rows: inputs.map((x) => ({
        id: x.id,
        path: x.path,
        cell: m.get(x.path)?.cell ?? null,
        condition: m.get(x.path)?.condition ?? null,
      })),
      error: null,
    };
  } catch (e) {
    return { rows: [], error: e instanceof Error ? e.message : String(e) };
  }
}

/** Inputs sorted as every output lists them (by id, code-unit order). */
export function sortedInputs(e: Experiment | null): ExperimentInput[] {
  return e ? [...e.inputs].sort((a, b) => compareIds(a.id, b.id)) : [];
}

/** Cell → condition problems the batch or the statistics would trip on, as sentences. */
export function groupingProblems(e: Experiment): string[] {
  const out: string[] = [];
  const cellCondition = new Map<string, string>();
  for (const x of e.inputs) {
    if (x.excluded) continue;
    if (!x.cell.trim() || x.cell === '?' || !x.condition.trim() || x.condition === '?')
      out.push(`${x.path}: no cell or condition yet (edit the row or the pattern).`);
    const c = cellCondition.get(x.cell);
    if (c !== undefined && c !== x.condition)
      out.push(`Cell "${x.cell}" is in two conditions ("${c}" and "${x.condition}"): a cell belongs to one.`);
    cellCondition.set(x.cell, x.condition);
  }
  return [...new Set(out)];
}
