// What the Experiment panel and window.evscope do to the experiment: build it from dropped files
// (cell and condition inferred by the pattern), edit it, and run the batch queue over it — each
// input through `analyse` (experimentPipeline.ts in the app, a fake in tests), its summary kept,
// everything persisted after each input so a reload resumes where the queue was.
import {
  type Experiment,
  type ExperimentInput,
  type ExperimentSteps,
  inputKind,
  parseExperiment,
  validateExperiment,
} from '../core/experiment/model';
import { canonicalJson, inputParamsHash, stepsFor } from '../core/experiment/plan';
import type { InputSummary } from '../core/experiment/summary';
import { blobRangeReader, fingerprintBytes, fingerprintFile } from '../core/session/index';
import type { SimulationParams } from '../core/sim/params';
import { type BatchOutcome, runBatch } from '../engine/batchQueue';
import type { ExperimentPersistence } from '../engine/experimentPersist';
import {
  experimentFile,
  filePath,
  forgetExperimentFiles,
  inputPaths,
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

/** Where an input's data comes from in this tab. */
export type InputSource =
  | { kind: 'simulated'; params: SimulationParams }
  | { kind: 'stack'; file: File }
  | { kind: 'localizations'; file: File; tracks?: File };

export type AnalyseFn = (
  input: ExperimentInput,
  source: InputSource,
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
  /** Content fingerprint of a file (default: fingerprintHere; the app's session worker). */
  fingerprint?: FingerprintFn;
  /** Files a saved experiment can make again itself (the simulated demo), attached on resume. */
  regenerate?: (saved: SavedExperiment) => File[];
  notify(kind: 'error' | 'warning' | 'info', title: string, message: string, hint?: string): void;
}

/** The part of the state a reload (IndexedDB) and a session file keep. */
export interface SavedExperiment {
  experiment: Experiment;
  pattern: string;
  simulated: Record<string, SimulationParams>;
  truth: unknown;
  tested?: string[] | null;
  fileMeta: Record<string, { name: string; size: number }>;
  runs: Record<string, InputRun>;
  wanted: boolean;
}

export type FingerprintFn = (blob: Blob) => Promise<string | null>;

/** The content fingerprint core/session computes, here on the calling thread. */
export const fingerprintHere: FingerprintFn = (blob) =>
  fingerprintFile(blobRangeReader(blob)).catch(() => null);

/**
 * An input's resume key, the summary's paramsHash — `evscope batch`'s (inputParamsHash): the
 * steps that run on it, what it is, and the content fingerprints of its files (a simulated
 * input's: of its recipe). The same experiment and files give the same key in both.
 */
export async function inputHash(
  e: Experiment,
  x: ExperimentInput,
  source: InputSource,
  fingerprint: FingerprintFn,
): Promise<string> {
  const files: Record<string, string> = {};
  const fp = async (role: string, f: Blob) => {
    // An unreadable file matches no result: its input runs (and reports why it cannot).
    files[role] = (await fingerprint(f)) ?? 'unreadable';
  };
  if (source.kind === 'simulated')
    files.path = `sim:${fingerprintBytes(new TextEncoder().encode(canonicalJson(source.params)))}`;
  else await fp('path', source.file);
  if (source.kind === 'localizations' && source.tracks) await fp('tracks', source.tracks);
  return inputParamsHash(e, x, stepsFor(e, x).run, files);
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
    tested: s.tested,
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
    tested: Array.isArray(o.tested) && o.tested.every((t) => typeof t === 'string') ? o.tested : null,
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

/** What an input is read from here: its simulation, its files in this tab, or null (missing). */
export function sourceOf(s: ExperimentState, x: ExperimentInput): InputSource | null {
  const sim = s.simulated[x.id];
  if (sim) return { kind: 'simulated', params: sim };
  const f = experimentFile(x.path);
  if (!f) return null;
  if (inputKind(x) === 'stack') return { kind: 'stack', file: f };
  const tracks = x.files?.tracks ? experimentFile(x.files.tracks) : undefined;
  if (x.files?.tracks && !tracks) return null;
  return { kind: 'localizations', file: f, ...(tracks ? { tracks } : {}) };
}

/** A dropped "…_tracks.csv" is the EV tracks of the table or stack with the same stem. */
const TRACKS_FILE = /_tracks\.(csv|txt)$/i;
const STEM = /(_locs)?\.[^./]+$/i;

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

/** The state a reload saved into the store; false when there was none (or another came first). */
async function restoreSavedFrom(deps: ExperimentDeps): Promise<boolean> {
  const version = experimentStore.getState().version;
  const p = await deps.persistence.load().catch((e) => {
    deps.notify('warning', 'The saved experiment could not be read', String(e));
    return null;
  });
  // An experiment opened while the record loaded (a session link at start-up) is the newer one.
  if (!p || experimentStore.getState().version !== version) return false;
  let saved: SavedExperiment;
  try {
    saved = parseSaved(p.state);
  } catch (e) {
    deps.notify('warning', 'The saved experiment could not be restored', String(e));
    return false;
  }
  resetExperiment();
  updateExperiment(() => ({ ...saved, queue: 'idle' }));
  const again = deps.regenerate?.(saved) ?? [];
  if (again.length) {
    const { matched } = matchFiles(saved.experiment.inputs.flatMap(inputPaths), saved.fileMeta, again);
    for (const [path, f] of matched) setExperimentFile(path, f);
  }
  return true;
}

export function makeExperimentActions(deps: ExperimentDeps) {
  let ctl: AbortController | null = null;
  let current: Promise<BatchOutcome> | null = null;
  let saving: Promise<void> = Promise.resolve();
  /** The state a reload saved, back in the store (or found absent): see resume and ownState. */
  let reloaded: Promise<boolean> = Promise.resolve(false);
  let checking: Promise<void> = Promise.resolve();
  const fingerprint = deps.fingerprint ?? fingerprintHere;

  /**
   * Files attached again (dropped after a reload, the demo made again): a result made from other
   * bytes than these is not resumed — the input runs again. Start waits for the check.
   */
  function recheckFiles(): Promise<void> {
    const check = async () => {
      const s = experimentStore.getState();
      if (!s.experiment) return;
      for (const x of s.experiment.inputs) {
        const r = s.runs[x.id];
        const source = sourceOf(s, x);
        if (!source || !r?.inputHash || (r.status !== 'done' && r.status !== 'failed')) continue;
        if ((await inputHash(s.experiment, x, source, fingerprint)) === r.inputHash) continue;
        // Re-run or re-made meanwhile: that result is not the one checked.
        if (experimentStore.getState().runs[x.id]?.inputHash !== r.inputHash) continue;
        setRun(x.id, {
          status: 'pending',
          summary: undefined,
          stepsKey: undefined,
          inputHash: undefined,
          error: 'its file changed since its result: it runs again',
        });
      }
      await persist();
    };
    checking = checking.then(check, check);
    return checking;
  }

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
    const hashes = new Map<string, string>();
    const todo = inputsToRun(s);
    const waiting = todo.filter((x) => !sourceOf(s, x));
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
        'Files are not kept across a reload: drop the folder (or the files) on the Experiment panel again; they are matched by path (else by name and size), and an input whose file changed runs again.',
      );
    const ready = todo.filter((x) => sourceOf(experimentStore.getState(), x));
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
        run: async (id, lane, signal) => {
          const x = byId.get(id)!;
          const source = sourceOf(experimentStore.getState(), x);
          if (!source) throw new Error('its file is no longer attached');
          const hash = await inputHash(e, x, source, fingerprint);
          hashes.set(id, hash);
          let last = 0;
          return deps.analyse(x, source, steps, hash, lane, signal, (phase, fraction) => {
            // A few updates per second are plenty for a progress bar.
            const now = Date.now();
            if (now - last < 200 && fraction < 1 && fraction > 0) return;
            last = now;
            setRun(id, { phase, progress: fraction });
          });
        },
        start: (id) => setRun(id, { status: 'running', phase: 'open', progress: 0, error: undefined }),
        done: (id, summary) => {
          setRun(id, {
            status: 'done',
            summary,
            stepsKey: key,
            inputHash: hashes.get(id),
            phase: undefined,
            progress: undefined,
          });
          return persist();
        },
        failed: (id, message) => {
          setRun(id, {
            status: 'failed',
            error: message,
            stepsKey: key,
            inputHash: hashes.get(id),
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

    /**
     * Dropped or picked files (a folder's, with their relative paths). An EXPERIMENT.json among
     * them replaces the experiment; files the experiment names are attached (by path, else name
     * and size) and an input whose file changed runs again; other files become new inputs, cell and condition from the pattern;
     * "…_tracks.csv" files are the EV tracks of the input with the same stem.
     */
    addFiles(files: readonly File[]): { added: number; attached: number; unmatched: string[] } {
      const json = files.find((f) => /\.json$/i.test(f.name));
      const rest = files.filter((f) => f !== json);
      if (json) return actions.addFilesWithExperiment(json, rest);
      const s = experimentStore.getState();
      const e = s.experiment ?? emptyExperiment();
      const wanted = e.inputs.filter((x) => !s.simulated[x.id]).flatMap(inputPaths);
      const { matched } = matchFiles(wanted, s.fileMeta, rest);
      const fileMeta = { ...s.fileMeta };
      const remember = (p: string, f: File) => {
        setExperimentFile(p, f);
        fileMeta[p] = { name: f.name, size: f.size };
      };
      for (const [p, f] of matched) remember(p, f);
      const taken = new Set(matched.values());
      const fresh = rest.filter((f) => !taken.has(f));
      const tracks = fresh.filter((f) => TRACKS_FILE.test(f.name));
      const data = fresh.filter((f) => !TRACKS_FILE.test(f.name));
      const r = inputsForPaths(e.inputs, data.map(filePath), s.pattern);
      const byPath = new Map(fresh.map((f) => [filePath(f), f]));
      const tracksByStem = new Map(tracks.map((f) => [filePath(f).replace(TRACKS_FILE, ''), f]));
      const inputs = r.inputs.map((x) => {
        remember(x.path, byPath.get(x.path)!);
        const t = tracksByStem.get(x.path.replace(STEM, ''));
        if (!t) return x;
        remember(filePath(t), t);
        return { ...x, files: { tracks: filePath(t) } };
      });
      updateExperiment(() => ({ experiment: { ...e, inputs: [...e.inputs, ...inputs] }, fileMeta }));
      void persist();
      if (matched.size) void recheckFiles();
      // Files dropped again after a reload: the queue that waited for them goes on.
      if (matched.size && experimentStore.getState().wanted && !current)
        void actions.start().catch(() => undefined);
      return { added: inputs.length, attached: matched.size, unmatched: r.unmatched };
    },

    /** An EXPERIMENT.json and the files it names (paths relative to its folder). */
    async addFilesWithExperimentAsync(json: File, files: readonly File[]) {
      const e = parseExperiment(await json.text(), json.name);
      const base = filePath(json).replace(/[^/]*$/, '');
      const rel = files.map((f) => {
        const p = filePath(f);
        const g = new File([f], f.name, { type: f.type, lastModified: f.lastModified });
        Object.defineProperty(g, 'relPath', { value: p.startsWith(base) ? p.slice(base.length) : p });
        return g;
      });
      actions.load({
        experiment: e,
        pattern: experimentStore.getState().pattern,
        simulated: {},
        truth: null,
        fileMeta: {},
        runs: {},
        wanted: false,
      });
      return actions.addFiles(rel);
    },

    addFilesWithExperiment(json: File, files: readonly File[]) {
      void actions
        .addFilesWithExperimentAsync(json, files)
        .catch((err) =>
          deps.notify(
            'error',
            `${json.name} was not loaded`,
            String(err instanceof Error ? err.message : err),
          ),
        );
      return { added: 0, attached: 0, unmatched: [] };
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

    /** The metrics tested between conditions (null: the default primary metric). */
    setTested(tested: string[] | null): void {
      updateExperiment(() => ({ tested: tested?.length ? [...tested] : null }));
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
          await checking;
          for (;;) {
            const out = await runQueue();
            total.done += out.done;
            total.failed += out.failed;
            total.notRun = out.notRun;
            const more = inputsToRun(experimentStore.getState()).filter((x) =>
              sourceOf(experimentStore.getState(), x),
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
      reloaded = restoreSavedFrom(deps);
      if (!(await reloaded)) return null;
      await recheckFiles();
      const s = experimentStore.getState();
      if (!s.wanted || !inputsToRun(s).length) return null;
      return actions.start().catch((e) => {
        deps.notify('warning', 'The experiment batch did not resume', String(e));
        return null;
      });
    },

    /**
     * Whether the store holds this tab's own experiment, once resume has put back what a reload
     * saved. The queue's record is saved after every input, so it is newer than the copy in the
     * tab's last autosaved session: restoring that session at start-up must keep it.
     */
    async ownState(): Promise<boolean> {
      await reloaded;
      return experimentStore.getState().experiment !== null;
    },

    /** No experiment (a session without one was opened); a reload does not bring it back. */
    close(): void {
      actions.cancel();
      forgetExperimentFiles();
      resetExperiment();
      void persist();
    },

    /** Waits for saves in flight (tests, and before a reload the user asked for). */
    flush(): Promise<void> {
      return saving;
    },
  };
  return actions;
}

export type ExperimentActions = ReturnType<typeof makeExperimentActions>;
