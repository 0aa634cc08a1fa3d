// Starting and cancelling a localization run: the settings and the active stack become a plan,
// the engine streams chunks into locsStore (in frame order), and the run ends as done, cancelled
// (keeping what was done) or failed (keeping it too, with the reason in a notice).
import { countForRun, describeBrightnessCount } from '../core/localize/brightnessCount';
import { resolveLocalizeParams } from '../core/localize/params';
import { concatLocTables, type LocTable } from '../core/locs/table';
import { type LocalizeEngine, type LocalizeStack, localizeService } from '../engine/localizeService';
import { attachMaps } from './cameraMapsStore';
import { activeStack, type DataState, dataStore, inputName } from './dataStore';
import { localizeParamsStore, planRun, type RunPlan } from './localizeParamsStore';
import { type LocsState, locsOf, locsStore, type RunStatus } from './locsStore';
import { uiStore } from './uiStore';

/** Streamed chunks reach the stores (and the views) at most this often during a run. */
const CHUNK_COMMIT_MS = 250;

export interface RunOutcome {
  count: number;
  status: RunStatus;
  error?: string;
}

/** What locsStore.params holds for a run of this step. */
export interface LocalizeRunRecord {
  kind: 'localize';
  signature: string;
  plan: Omit<RunPlan, 'signature'>;
}

export function isLocalizeRecord(p: unknown): p is LocalizeRunRecord {
  return typeof p === 'object' && p !== null && (p as { kind?: unknown }).kind === 'localize';
}

interface Stores {
  data: { getState(): Pick<DataState, 'stacks' | 'tables' | 'activeId'> };
  notify(kind: 'error' | 'warning' | 'info', title: string, message: string, hint?: string): void;
}

/**
 * What the engine needs to run `plan` on `stack` (a whole run, or σ from data on its first
 * frames): the plan with its sCMOS calibration maps attached.
 */
export function planRequest(plan: RunPlan, stack: LocalizeStack) {
  const { params, scmosMapsFromSimulation } = attachMaps(plan.params, plan.scmosMaps, plan.stackId);
  return {
    stack,
    channel: plan.channel,
    params,
    scmosMapsFromSimulation,
    frames: plan.frames,
    roi: plan.roi,
  };
}

export function makeLocalizeActions(
  engine: LocalizeEngine,
  stores: Stores = {
    data: dataStore,
    notify: (...a) => uiStore.getState().notify(...a),
  },
) {
  let controller: AbortController | null = null;
  let current: Promise<RunOutcome> | null = null;
  let currentStack: number | null = null;

  async function execute(plan: RunPlan, stackName: string, ctl: AbortController): Promise<RunOutcome> {
    const { signature, ...rest } = plan;
    const record: LocalizeRunRecord = { kind: 'localize', signature, plan: rest };
    const input = plan.stackId;
    locsStore.getState().startRun(input, record, plan.frames.end - plan.frames.start);
    const runId = locsStore.getState().runId;
    // The run writes into its own stack's table, on screen or not. Someone else replaced that
    // table (e.g. a CSV import) or the stack closed: stop, and do not write into theirs.
    const mine = () => locsOf.read(input)?.runId === runId;
    const write = (change: (s: LocsState) => Partial<LocsState>) => {
      if (mine()) locsOf.update(input, change);
    };
    // What the run's table holds now (another table replaced it: that table's state).
    const outcome = (status: RunStatus): RunOutcome => {
      const now = locsOf.read(input);
      return { count: now?.count ?? 0, status: mine() ? status : (now?.status ?? status) };
    };
    const st = stores.data.getState().stacks.find((x) => x.info.id === plan.stackId)!;
    // Chunks arrive every few milliseconds, and each store write wakes the table, histograms,
    // movie, scoring and autosave listeners on the main thread the workers report to: commit
    // them in batches (the first at once, so results show immediately).
    let pending: LocTable[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    let committed = false;
    const commit = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (!pending.length) return;
      const batch = pending;
      pending = [];
      committed = true;
      const n = batch.reduce((sum, t) => sum + t.length, 0);
      write((s) => ({ chunks: [...s.chunks, ...batch], count: s.count + n, version: s.version + 1 }));
    };
    try {
      const res = await engine.run({
        ...planRequest(plan, st.info),
        signal: ctl.signal,
        onChunk: (t) => {
          if (!mine()) return ctl.abort();
          pending.push(t);
          if (!committed) commit();
          else timer ??= setTimeout(commit, CHUNK_COMMIT_MS);
        },
        onProgress: (p) => write(() => ({ progress: p })),
      });
      commit();
      if (!mine()) return outcome('done');
      if (res.failedFrame) {
        // The frames before the bad one are kept and shown; the rest of the stack is not done.
        const bad = res.failedFrame.frame + 1;
        const msg = `frame ${bad} could not be read or localized: ${res.failedFrame.message}`;
        write((s) => ({ status: 'failed', error: msg, version: s.version + 1 }));
        stores.notify(
          'warning',
          `Localization of ${stackName} stopped at frame ${bad}`,
          msg,
          `The localizations of frames ${plan.frames.start + 1}–${bad - 1} are kept. The file may be damaged from frame ${bad} on: check it in Fiji, or localize the frames after it with a frame range.`,
        );
        return { ...outcome('failed'), status: 'failed', error: msg };
      }
      const status = res.cancelled ? 'cancelled' : 'done';
      // The table is complete here: every chunk was committed before the engine resolved.
      if (status === 'done') countCoincident(plan, stackName, write);
      write((s) => ({ status, error: null, version: s.version + 1 }));
      return outcome(status);
    } catch (e) {
      commit();
      const msg = e instanceof Error ? e.message : String(e);
      write((s) => ({ status: 'failed', error: msg, version: s.version + 1 }));
      stores.notify(
        'error',
        `Localization of ${stackName} failed`,
        msg,
        'The localizations found before the failure are kept. Check the parameters and the file, then run again.',
      );
      return { ...outcome('failed'), status: 'failed', error: msg };
    }
  }

  /**
   * mle-multi: emitters too close to resolve are counted from the whole run's brightness
   * distribution (a cancelled run keeps its spots uncounted: too few frames to model).
   */
  function countCoincident(
    plan: RunPlan,
    stackName: string,
    write: (change: (s: LocsState) => Partial<LocsState>) => void,
  ): void {
    const chunks = locsOf.read(plan.stackId)?.chunks;
    if (!chunks) return;
    const counted = countForRun(concatLocTables(chunks), resolveLocalizeParams(plan.params));
    if (!counted) return;
    if (counted.added > 0)
      write((s) => ({ chunks: [counted.table], count: counted.table.length, version: s.version + 1 }));
    stores.notify('info', `Multi-emitter fit of ${stackName}`, describeBrightnessCount(counted));
  }

  return {
    /** Starts a run of the active stack with the current settings; resolves when it ends. */
    start(): Promise<RunOutcome> {
      // A run asked to stop may still wait on a silent worker: a new run must not wait with it
      // (its chunks stop being written once the new run starts).
      const busy = current !== null && !controller?.signal.aborted;
      const st = activeStack(stores.data.getState());
      if (busy && currentStack === st?.info.id) return current!;
      if (busy) {
        const error = `Localization of ${inputName(stores.data.getState(), currentStack)} is still running: wait for it or cancel it first.`;
        stores.notify('warning', 'One localization at a time', error);
        return Promise.resolve({ count: 0, status: 'failed', error });
      }
      if (!st) {
        const error = 'No stack is open: open a file or the demo in the Data step first.';
        stores.notify('error', 'Nothing to localize', error);
        return Promise.resolve({ count: 0, status: 'failed', error });
      }
      const planned = planRun(localizeParamsStore.getState().settings, st);
      if (!planned.ok) {
        const error = planned.errors.join(' ');
        stores.notify(
          'error',
          `Cannot localize ${st.info.name}`,
          error,
          'Correct the parameters marked in red.',
        );
        return Promise.resolve({ count: 0, status: 'failed', error });
      }
      const ctl = new AbortController();
      controller = ctl;
      currentStack = st.info.id;
      const run: Promise<RunOutcome> = execute(planned.plan, st.info.name, ctl).finally(() => {
        if (current !== run) return;
        controller = null;
        current = null;
        currentStack = null;
      });
      current = run;
      return run;
    },
    /** Stops dispatching; chunks in flight finish and are kept. */
    cancel(): void {
      controller?.abort();
    },
    get running(): boolean {
      return current !== null;
    },
    /** The stack being localized, or null. */
    get runningStack(): number | null {
      return currentStack;
    },
  };
}

export type LocalizeActions = ReturnType<typeof makeLocalizeActions>;

export const localizeActions = makeLocalizeActions(localizeService);
