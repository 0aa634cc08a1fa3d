// Starting and cancelling a localization run: the settings and the active stack become a plan,
// the engine streams chunks into locsStore (in frame order), and the run ends as done, cancelled
// (keeping what was done) or failed (keeping it too, with the reason in a notice).
import { type LocalizeEngine, localizeService } from '../engine/localizeService';
import { attachMaps } from './cameraMapsStore';
import { activeStack, type DataState, dataStore } from './dataStore';
import { localizeParamsStore, planRun, type RunPlan } from './localizeParamsStore';
import { locsStore, type RunStatus } from './locsStore';
import { uiStore } from './uiStore';

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
  data: { getState(): Pick<DataState, 'stacks' | 'activeId'> };
  notify(kind: 'error' | 'warning' | 'info', title: string, message: string, hint?: string): void;
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

  async function execute(plan: RunPlan, stackName: string, ctl: AbortController): Promise<RunOutcome> {
    const locs = locsStore.getState();
    const { signature, ...rest } = plan;
    const record: LocalizeRunRecord = { kind: 'localize', signature, plan: rest };
    locs.startRun(plan.stackId, record, plan.frames.end - plan.frames.start);
    const version = locsStore.getState().version;
    let seen = version;
    // Someone else replaced the localizations (e.g. a CSV import) while we ran: stop, and do not
    // write into their table.
    const mine = () => locsStore.getState().version === seen;
    const st = stores.data.getState().stacks.find((x) => x.info.id === plan.stackId)!;
    try {
      const { params, scmosMapsFromSimulation } = attachMaps(plan.params, plan.scmosMaps, plan.stackId);
      const res = await engine.run({
        stack: st.info,
        channel: plan.channel,
        params,
        scmosMapsFromSimulation,
        frames: plan.frames,
        roi: plan.roi,
        signal: ctl.signal,
        onChunk: (t) => {
          if (!mine()) return ctl.abort();
          locsStore.getState().append(t);
          seen = locsStore.getState().version;
        },
        onProgress: (p) => {
          if (mine()) locsStore.getState().setProgress(p);
        },
      });
      if (!mine()) return { count: locsStore.getState().count, status: locsStore.getState().status };
      if (res.failedFrame) {
        // The frames before the bad one are kept and shown; the rest of the stack is not done.
        const bad = res.failedFrame.frame + 1;
        const msg = `frame ${bad} could not be read or localized: ${res.failedFrame.message}`;
        locsStore.getState().finish('failed', msg);
        stores.notify(
          'warning',
          `Localization of ${stackName} stopped at frame ${bad}`,
          msg,
          `The localizations of frames ${plan.frames.start + 1}–${bad - 1} are kept. The file may be damaged from frame ${bad} on: check it in Fiji, or localize the frames after it with a frame range.`,
        );
        return { count: locsStore.getState().count, status: 'failed', error: msg };
      }
      const status = res.cancelled ? 'cancelled' : 'done';
      locsStore.getState().finish(status);
      return { count: locsStore.getState().count, status };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (mine()) locsStore.getState().finish('failed', msg);
      stores.notify(
        'error',
        `Localization of ${stackName} failed`,
        msg,
        'The localizations found before the failure are kept. Check the parameters and the file, then run again.',
      );
      return { count: locsStore.getState().count, status: 'failed', error: msg };
    }
  }

  return {
    /** Starts a run of the active stack with the current settings; resolves when it ends. */
    start(): Promise<RunOutcome> {
      // A run asked to stop may still wait on a silent worker: a new run must not wait with it
      // (its chunks stop being written once the new run starts).
      if (current && !controller?.signal.aborted) return current;
      const st = activeStack(stores.data.getState());
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
      const run: Promise<RunOutcome> = execute(planned.plan, st.info.name, ctl).finally(() => {
        if (current !== run) return;
        controller = null;
        current = null;
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
  };
}

export type LocalizeActions = ReturnType<typeof makeLocalizeActions>;

export const localizeActions = makeLocalizeActions(localizeService);
