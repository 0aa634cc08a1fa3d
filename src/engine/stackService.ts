// Main-thread side of the stack worker: one place that starts it, tracks what it is doing (for
// the status bar) and restarts it if it dies. All stack access from the UI goes through here.
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

export class StackService {
  private worker: Worker | null = null;
  private api: Comlink.Remote<StackApi> | null = null;
  private readonly calls = new Map<number, { label: string; reject: (e: Error) => void }>();
  private seq = 0;
  private readonly listeners = new Set<Listener>();
  /** Called when the worker died and every stack it held is gone. */
  onCrash: ((message: string) => void) | null = null;

  private remote(): Comlink.Remote<StackApi> {
    if (!this.api) {
      const worker = new Worker(new URL('../../workers/stack.worker.ts', import.meta.url), {
        type: 'module',
      });
      worker.addEventListener('error', (e) => this.crashed(e.message || 'the stack worker failed'));
      this.worker = worker;
      this.api = Comlink.wrap<StackApi>(worker);
    }
    return this.api;
  }

  private crashed(message: string) {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    // comlink would leave these promises hanging forever.
    for (const c of this.calls.values()) c.reject(new Error(`stack worker stopped: ${message}`));
    this.calls.clear();
    this.emit();
    this.onCrash?.(message);
  }

  private track<T>(label: string, call: (api: Comlink.Remote<StackApi>) => Promise<T>): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { label, reject });
      this.emit();
      call(this.remote())
        .then(resolve, reject)
        .finally(() => {
          this.calls.delete(id);
          this.emit();
        });
    });
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  activity(): Activity {
    const first = this.calls.values().next();
    return { pending: this.calls.size, label: first.done ? null : first.value.label };
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
    void this.api?.cancel(requestId);
  }

  close(id: number): void {
    void this.api?.close(id);
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
