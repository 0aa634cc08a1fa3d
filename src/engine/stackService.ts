// Main-thread side of the stack worker: tracks what it is doing (for the status bar); starting,
// restarting after a crash or silence and rejecting what a dead worker held is the one
// worker-service helper's (workerCalls.ts). All stack access from the UI goes through here.
import * as Comlink from 'comlink';
import type {
  InputFile,
  OpenOutcome,
  RenderRequest,
  RenderResult,
  StackApi,
  StackRecipe,
  TruthCompareOptions,
  TruthEventColumns,
  TruthFrames,
} from '../../workers/stack.api';
import type { LocTable } from '../core/locs/table';
import type { TruthComparison } from '../core/score/compare';
import { browserWorkerFactory } from './browserWorker';
import { type WorkerService, type WorkerServiceOptions, workerService } from './workerCalls';
import type { WorkerFactory } from './workerPool';

export type {
  ChannelLayout,
  ChannelView,
  InputFile,
  OpenOutcome,
  RenderedTile,
  RenderRequest,
  RenderResult,
  StackInfo,
  StackRecipe,
  TruthCompareOptions,
  TruthEventColumns,
  TruthFrames,
} from '../../workers/stack.api';
export type { TruthComparison } from '../core/score/compare';

export interface Activity {
  /** Calls the worker has not answered yet. */
  pending: number;
  /** What the oldest of them is, for the status bar. */
  label: string | null;
}

type Listener = (a: Activity) => void;

/** The browser's stack workers (a lane of the experiment batch makes a service of its own). */
const stackWorkers = browserWorkerFactory<StackApi>(
  () => new Worker(new URL('../../workers/stack.worker.ts', import.meta.url), { type: 'module' }),
);

export class StackService {
  private readonly worker: WorkerService<StackApi>;
  private readonly calls = new Map<number, string>();
  private seq = 0;
  private readonly listeners = new Set<Listener>();
  /** Called when the worker died and every stack it held is gone. */
  onCrash: ((message: string) => void) | null = null;

  constructor(factory: WorkerFactory<StackApi> = stackWorkers, options: WorkerServiceOptions = {}) {
    // Not redone: the worker holds the open stacks, which die with it.
    // Decoding one large compressed frame or scanning a long file's pages does not beat: 60 s.
    this.worker = workerService(factory, { name: 'the stack worker', deadlineMs: 60_000, ...options });
    this.worker.onDeath((e) => this.onCrash?.(e.message));
  }

  private track<T>(label: string, call: (api: Comlink.Remote<StackApi>) => Promise<T>): Promise<T> {
    const id = ++this.seq;
    this.calls.set(id, label);
    this.emit();
    return this.worker.call(call).finally(() => {
      this.calls.delete(id);
      this.emit();
    });
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  activity(): Activity {
    const first = this.calls.values().next();
    return { pending: this.calls.size, label: first.done ? null : first.value };
  }

  private emit() {
    const a = this.activity();
    for (const l of this.listeners) l(a);
  }

  open(files: InputFile[], requestId: number): Promise<OpenOutcome> {
    return this.track<OpenOutcome>(
      `opening ${files[0]?.name ?? ''}${files.length > 1 ? ` +${files.length - 1}` : ''}`,
      (api) => api.open(files, requestId),
    );
  }

  openRecipe(recipe: StackRecipe, requestId: number, label = 'opening'): Promise<OpenOutcome> {
    return this.track<OpenOutcome>(label, (api) => api.openRecipe(recipe, requestId));
  }

  addChannel(baseId: number, files: InputFile[], requestId: number): Promise<OpenOutcome> {
    return this.track<OpenOutcome>(`adding channel ${files[0]?.name ?? ''}`, (api) =>
      api.addChannel(baseId, files, requestId),
    );
  }

  splitDualView(id: number, layout: 'left-right' | 'top-bottom'): Promise<OpenOutcome> {
    return this.track<OpenOutcome>('splitting dual view', (api) => api.splitDualView(id, layout));
  }

  cancel(requestId: number): void {
    this.worker.notify((api) => api.cancel(requestId));
  }

  close(id: number): void {
    this.worker.notify((api) => api.close(id));
  }

  render(req: RenderRequest): Promise<RenderResult> {
    return this.track(`decoding frame ${req.frame + 1}`, (api) => api.render(req));
  }

  /** Ground-truth emission events of a simulated stack's channel (frames [start, end), default all). */
  truthEvents(stackId: number, channel = 0, frames?: TruthFrames): Promise<TruthEventColumns> {
    return this.track('reading ground truth', (api) => api.truthEvents(stackId, channel, frames));
  }

  /**
   * Scores localizations against a simulated stack's truth in the worker. `locs` is transferred:
   * pass columns the caller no longer needs (copies).
   */
  scoreAgainstTruth(stackId: number, locs: LocTable, options: TruthCompareOptions): Promise<TruthComparison> {
    const buffers = Object.values(locs.columns).map((c) => c.buffer);
    return this.track('scoring against ground truth', (api) =>
      api.scoreAgainstTruth(stackId, Comlink.transfer(locs, buffers), options),
    );
  }
}

/** The app's one stack worker. */
export const stackService = new StackService();

export function inputFiles(files: Iterable<File>): InputFile[] {
  return [...files].map((f) => ({ name: f.name, blob: f }));
}
