// What the Experiment panel and window.evscope do to the experiment: build it from dropped files
// (cell and condition inferred by the pattern), edit it, and run the batch queue over it — each
// input through `analyse` (experimentPipeline.ts in the app, a fake in tests), its summary kept,
// everything persisted after each input so a reload resumes where the queue was.
import type { StackRecipe } from '../../workers/stackRecipe';
import {
  type Experiment,
  type ExperimentInput,
  type ExperimentSteps,
  validateExperiment,
} from '../core/experiment/model';
import type { InputSummary } from '../core/experiment/summary';
import type { SimulationParams } from '../core/sim/params';
import { type BatchOutcome, runBatch } from '../engine/batchQueue';
import type { ExperimentPersistence } from '../engine/experimentPersist';
import {
  experimentFile,
  filePath,
  forgetExperimentFiles,
  matchFiles,
  setExperimentFile,
} from './experimentFiles';
import {
  DEFAULT_PATTERN,
  type ExperimentState,
  emptyExperiment,
  experimentStore,
  groupingProblems,
  type InputRun,
  inputsForPaths,
  resetExperiment,
  sortedInputs,
  stepsKey,
  updateExperiment,
} from './experimentStore';

export type AnalyseFn = (
  input: ExperimentInput,
  recipe: StackRecipe,
  steps: ExperimentSteps,
  paramsHash: string,
  lane: number,
  signal: AbortSignal,
  progress: (phase: string, fraction: number) => void,
) => Promise<InputSummary>;

export interface ExperimentDeps {
  analyse: AnalyseFn;
  isCancel(e: unknown): boolean;
  lanes: () => number;
  persistence: ExperimentPersistence;
  notify(kind: 'error' | 'warning' | 'info', title: string, message: string, hint?: string): void;
}

/** The part of the state a reload (IndexedDB) and a session file keep. */
export interface SavedExperiment {
  experiment: Experiment;
  pattern: string;
  simulated: Record<string, SimulationParams>;
  truth: unknown;
  fileMeta: Record<string, { name: string; size: number }>;
  runs: Record<string, InputRun>;
  wanted: boolean;
}

/** FNV-1a of the steps' stable JSON: the summary's paramsHash. */
export function hashSteps(steps: ExperimentSteps): string {
  const s = stepsKey(steps);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A running input becomes pending again: a reload or a saved session does not finish it. */
function settled(runs: Record<string, InputRun>): Record<string, InputRun> {
  const out: Record<string, InputRun> = {};
  for (const [id, r] of Object.entries(runs)) {
    const { phase: _p, progress: _q, ...rest } = r;
    out[id] = r.status === 'running' || r.status === 'cancelled' ? { ...rest, status: 'pending' } : rest;
  }
  return out;
}

export function savedState(s: ExperimentState): SavedExperiment | null {
  if (!s.experiment) return null;
  return {
    experiment: s.experiment,
    pattern: s.pattern,
    simulated: s.simulated,
    truth: s.truth,
    fileMeta: s.fileMeta,
    runs: settled(s.runs),
    wanted: s.wanted,
  };
}

/** Checks saved experiment state (IndexedDB or a session); throws with the reason. */
export function parseSaved(j: unknown): SavedExperiment {
  const o = j as Partial<SavedExperiment> | null;
  if (!o || typeof o !== 'object') throw new Error('the saved experiment is not an object');
  const v = validateExperiment(o.experiment);
  if (!v.ok) throw new Error(`the saved experiment is not valid:\n  ${v.errors.join('\n  ')}`);
  const obj = (x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? x : {});
  return {
    experiment: v.experiment,
    pattern: typeof o.pattern === 'string' ? o.pattern : DEFAULT_PATTERN,
    simulated: obj(o.simulated) as Record<string, SimulationParams>,
    truth: o.truth ?? null,
    fileMeta: obj(o.fileMeta) as SavedExperiment['fileMeta'],
    runs: settled(obj(o.runs) as Record<string, InputRun>),
    wanted: o.wanted === true,
  };
}

/** Inputs the queue would run now: active, and without a summary made with these steps. */
export function inputsToRun(s: ExperimentState): ExperimentInput[] {
  if (!s.experiment) return [];
  const key = stepsKey(s.experiment.steps);
  return sortedInputs(s.experiment).filter((x) => {
    if (x.excluded) return false;
    const r = s.runs[x.id];
    if (!r) return true;
    if (r.stepsKey !== undefined && r.stepsKey !== key) return true;
    return r.status === 'pending' || r.status === 'cancelled';
  });
}

/** The recipe that opens an input here: its simulation, its file in this tab, or null. */
export function recipeOf(s: ExperimentState, id: string): StackRecipe | null {
  const sim = s.simulated[id];
  if (sim) return { kind: 'simulated', params: sim };
  const f = experimentFile(id);
  return f ? { kind: 'files', files: [{ name: f.name, blob: f }] } : null;
}

/** Summaries of the inputs that count: active, done with the current steps. */
export function currentSummaries(s: ExperimentState): InputSummary[] {
  if (!s.experiment) return [];
  const key = stepsKey(s.experiment.steps);
  const out: InputSummary[] = [];
  for (const x of sortedInputs(s.experiment)) {
    const r = s.runs[x.id];
    if (x.excluded || r?.status !== 'done' || r.stepsKey !== key || !r.summary) continue;
    // Cell and condition as edited now: regrouping needs no re-run.
    out.push({ ...(r.summary as InputSummary), cell: x.cell, condition: x.condition });
  }
  return out;
}

function setRun(id: string, patch: Partial<InputRun> | null): void {
  updateExperiment((s) => {
    const runs = { ...s.runs };
    if (patch === null) delete runs[id];
    else runs[id] = { ...(runs[id] ?? { status: 'pending' }), ...patch } as InputRun;
    return { runs };
  });
}

function editInputs(change: (inputs: ExperimentInput[]) => ExperimentInput[]): void {
  updateExperiment((s) => ({
    experiment: { ...(s.experiment ?? emptyExperiment()), inputs: change(s.experiment?.inputs ?? []) },
  }));
}

export function makeExperimentActions(deps: ExperimentDeps) {
  let ctl: AbortController | null = null;
  let current: Promise<BatchOutcome> | null = null;
  let saving: Promise<void> = Promise.resolve();

  /** Saves now (after this, a reload sees the state as it is). Saves run one after another. */
  function persist(): Promise<void> {
    const saved = savedState(experimentStore.getState());
    saving = saving
      .then(() =>
        saved
          ? deps.persistence.save({ savedAt: new Date().toISOString(), state: saved })
          : deps.persistence.clear(),
      )
      .catch((e) =>
        deps.notify(
          'warning',
          'The batch queue could not be saved',
          String(e),
          'A reload will not resume it.',
        ),
      );
    return saving;
  }

  async function runQueue(): Promise<BatchOutcome> {
    const s = experimentStore.getState();
    const e = s.experiment!;
    const steps = e.steps;
    const key = stepsKey(steps);
    const hash = hashSteps(steps);
    const todo = inputsToRun(s);
    const waiting = todo.filter((x) => !recipeOf(s, x.id));
    for (const x of waiting)
      setRun(x.id, { status: 'pending', error: 'needs its file: drop the folder again to run it' });
    if (waiting.length)
      deps.notify(
        'warning',
        `${waiting.length} input${waiting.length === 1 ? '' : 's'} need${waiting.length === 1 ? 's' : ''} ${waiting.length === 1 ? 'its file' : 'their files'}`,
        waiting
          .slice(0, 5)
          .map((x) => x.path)
          .join(', ') + (waiting.length > 5 ? ', …' : ''),
        'Files are not kept across a reload: drop the folder (or the files) on the Experiment panel again; they are matched by name and size.',
      );
    const ready = todo.filter((x) => recipeOf(experimentStore.getState(), x.id));
    const byId = new Map(ready.map((x) => [x.id, x]));
    ctl = new AbortController();
    updateExperiment(() => ({ queue: 'running', wanted: true }));
    await persist();
    const out = await runBatch<InputSummary>(
      ready.map((x) => x.id),
      {
        lanes: deps.lanes(),
        signal: ctl.signal,
        isCancel: deps.isCancel,
        run: (id, lane, signal) => {
          const recipe = recipeOf(experimentStore.getState(), id);
          if (!recipe) throw new Error('its file is no longer attached');
          let last = 0;
          return deps.analyse(byId.get(id)!, recipe, steps, hash, lane, signal, (phase, fraction) => {
            // A few updates per second are plenty for a progress bar.
            const now = Date.now();
            if (now - last < 200 && fraction < 1 && fraction > 0) return;
            last = now;
            setRun(id, { phase, progress: fraction });
          });
        },
        start: (id) => setRun(id, { status: 'running', phase: 'open', progress: 0, error: undefined }),
        done: (id, summary) => {
          setRun(id, { status: 'done', summary, stepsKey: key, phase: undefined, progress: undefined });
          return persist();
        },
        failed: (id, message) => {
          setRun(id, {
            status: 'failed',
            error: message,
            stepsKey: key,
            summary: undefined,
            phase: undefined,
          });
          deps.notify(
            'warning',
            `Input ${byId.get(id)?.path ?? id} failed and was skipped`,
            message,
            'The batch goes on with the other inputs. Fix the file or the parameters, then use Re-run on its row.',
          );
          return persist();
        },
        cancelled: (id) => setRun(id, { status: 'pending', phase: undefined, progress: undefined }),
      },
    );
    const cancelled = ctl.signal.aborted;
    ctl = null;
    updateExperiment(() => ({
      queue: 'idle',
      wanted: cancelled ? false : inputsToRun(experimentStore.getState()).length > 0,
    }));
    await persist();
    return out;
  }

  const actions = {
    /** A new, empty experiment (the current one and its files are dropped). */
    newExperiment(title = ''): void {
      actions.cancel();
      forgetExperimentFiles();
      resetExperiment();
      updateExperiment(() => ({ experiment: emptyExperiment(title) }));
      void persist();
    },

    /** Replaces the experiment (a loaded EXPERIMENT.json, the demo, a session). */
    load(saved: SavedExperiment): void {
      actions.cancel();
      resetExperiment();
      updateExperiment(() => ({ ...saved, queue: 'idle' }));
      void persist();
    },

    /** Dropped or picked files: inputs new to the experiment are added, known ones re-attached. */
    addFiles(files: readonly File[]): { added: number; attached: number; unmatched: string[] } {
      const s = experimentStore.getState();
      const e = s.experiment ?? emptyExperiment();
      const { matched } = matchFiles(
        e.inputs.filter((x) => !s.simulated[x.id]),
        s.fileMeta,
        files,
      );
      for (const [id, f] of matched) setExperimentFile(id, f);
      const taken = new Set(matched.values());
      const fresh = files.filter((f) => !taken.has(f));
      const r = inputsForPaths(e.inputs, fresh.map(filePath), s.pattern);
      const byPath = new Map(fresh.map((f) => [filePath(f), f]));
      const fileMeta = { ...s.fileMeta };
      for (const x of r.inputs) {
        const f = byPath.get(x.path)!;
        setExperimentFile(x.id, f);
        fileMeta[x.id] = { name: f.name, size: f.size };
      }
      updateExperiment(() => ({
        experiment: { ...e, inputs: [...e.inputs, ...r.inputs] },
        fileMeta,
        runs: Object.fromEntries(
          Object.entries(experimentStore.getState().runs).map(([id, run]) =>
            matched.has(id) && run.status === 'pending' ? [id, { ...run, error: undefined }] : [id, run],
          ),
        ),
      }));
      void persist();
      // Files dropped again after a reload: the queue that waited for them goes on.
      if (matched.size && experimentStore.getState().wanted && !current)
        void actions.start().catch(() => undefined);
      return { added: r.inputs.length, attached: matched.size, unmatched: r.unmatched };
    },

    setPattern(pattern: string): void {
      updateExperiment(() => ({ pattern }));
    },

    /** Re-infers cell and condition of every input the pattern matches (others keep theirs). */
    applyPattern(): { changed: number; unmatched: string[] } {
      const s = experimentStore.getState();
      if (!s.experiment) return { changed: 0, unmatched: [] };
      const r = inputsForPaths(
        [],
        s.experiment.inputs.map((x) => x.path),
        s.pattern,
      );
      const byPath = new Map(r.inputs.map((x) => [x.path, x]));
      let changed = 0;
      editInputs((inputs) =>
        inputs.map((x) => {
          const m = byPath.get(x.path);
          if (!m || m.cell === '?' || (m.cell === x.cell && m.condition === x.condition)) return x;
          changed++;
          return { ...x, cell: m.cell, condition: m.condition };
        }),
      );
      void persist();
      return { changed, unmatched: r.unmatched };
    },

    /** Edits one input's cell or condition (no re-run needed: grouping is applied at aggregation). */
    setInput(id: string, patch: Partial<Pick<ExperimentInput, 'cell' | 'condition'>>): void {
      editInputs((inputs) => inputs.map((x) => (x.id === id ? { ...x, ...patch } : x)));
      void persist();
    },

    setExcluded(id: string, excluded: boolean): void {
      editInputs((inputs) =>
        inputs.map((x) => {
          if (x.id !== id) return x;
          const { excluded: _e, ...rest } = x;
          return excluded ? { ...rest, excluded: true } : rest;
        }),
      );
      void persist();
    },

    remove(id: string): void {
      editInputs((inputs) => inputs.filter((x) => x.id !== id));
      setRun(id, null);
      void persist();
    },

    /** Forgets an input's result so the queue runs it again (now, if the queue is running). */
    rerun(id: string): void {
      setRun(id, { status: 'pending', summary: undefined, error: undefined, stepsKey: undefined });
      void persist();
    },

    setSteps(steps: ExperimentSteps): void {
      updateExperiment((s) => ({ experiment: { ...(s.experiment ?? emptyExperiment()), steps } }));
      void persist();
    },

    /** Problems that keep the batch from starting, as sentences (empty: it can start). */
    startProblems(): string[] {
      const e = experimentStore.getState().experiment;
      if (!e?.inputs.length) return ['The experiment has no inputs: drop files or a folder first.'];
      if (!e.inputs.some((x) => !x.excluded)) return ['Every input is excluded.'];
      return groupingProblems(e);
    },

    /**
     * Runs every input that has no current summary; resolves when the queue is empty or was
     * cancelled. Inputs re-run or added while it runs are picked up before it resolves.
     */
    async start(): Promise<BatchOutcome> {
      if (current) return current;
      const problems = actions.startProblems();
      if (problems.length) throw new Error(problems.join('\n'));
      const total: BatchOutcome = { done: 0, failed: 0, notRun: 0 };
      current = (async () => {
        try {
          for (;;) {
            const out = await runQueue();
            total.done += out.done;
            total.failed += out.failed;
            total.notRun = out.notRun;
            const more = inputsToRun(experimentStore.getState()).filter((x) =>
              recipeOf(experimentStore.getState(), x.id),
            );
            if (out.notRun > 0 || !more.length || !experimentStore.getState().wanted) return total;
          }
        } finally {
          current = null;
        }
      })();
      return current;
    },

    get running(): boolean {
      return current !== null;
    },

    /** Stops the queue: the running input stops, finished ones keep their summaries. */
    cancel(): void {
      if (!ctl) return;
      updateExperiment(() => ({ queue: 'cancelling', wanted: false }));
      ctl.abort();
    },

    /** After a reload: the saved experiment comes back, and the queue resumes if it was running. */
    async resume(): Promise<BatchOutcome | null> {
      const p = await deps.persistence.load();
      if (!p) return null;
      let saved: SavedExperiment;
      try {
        saved = parseSaved(p.state);
      } catch (e) {
        deps.notify('warning', 'The saved experiment could not be restored', String(e));
        return null;
      }
      resetExperiment();
      updateExperiment(() => ({ ...saved, queue: 'idle' }));
      if (!saved.wanted || !inputsToRun(experimentStore.getState()).length) return null;
      return actions.start().catch((e) => {
        deps.notify('warning', 'The experiment batch did not resume', String(e));
        return null;
      });
    },

    /** Waits for saves in flight (tests, and before a reload the user asked for). */
    flush(): Promise<void> {
      return saving;
    },
  };
  return actions;
}

export type ExperimentActions = ReturnType<typeof makeExperimentActions>;
