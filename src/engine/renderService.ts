// Main-thread side of the render worker (workers/render.api.ts): starts it on first use and
// restarts it after a crash, rejecting the calls the dead worker can no longer answer.
import * as Comlink from 'comlink';
import type { RenderApi } from '../../workers/render.api';

export type {
  DriftSummary,
  ExportRequest,
  ProcessSummary,
  RenderApi,
  RenderedImage,
  RenderRequest,
} from '../../workers/render.api';

/** What the stores need from the render worker; tests pass a fake or a MessageChannel-wrapped API. */
export type RenderBackend = {
  [K in keyof RenderApi]: (...a: Parameters<RenderApi[K]>) => Promise<Awaited<ReturnType<RenderApi[K]>>>;
};

export class RenderService {
  private worker: Worker | null = null;
  private api: Comlink.Remote<RenderApi> | null = null;
  private readonly pending = new Set<(e: Error) => void>();
  /** Called after the worker died; its copy of the localizations is gone and must be re-sent. */
  onCrash: ((message: string) => void) | null = null;

  private remote(): Comlink.Remote<RenderApi> {
    if (!this.api) {
      const worker = new Worker(new URL('../../workers/render.worker.ts', import.meta.url), {
        type: 'module',
      });
      worker.addEventListener('error', (e) => this.crashed(e.message || 'the render worker failed'));
      this.worker = worker;
      this.api = Comlink.wrap<RenderApi>(worker);
    }
    return this.api;
  }

  private crashed(message: string) {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    for (const reject of this.pending) reject(new Error(`render worker stopped: ${message}`));
    this.pending.clear();
    this.onCrash?.(message);
  }

  /** The worker's API with every call tracked, so a crash rejects instead of hanging. */
  readonly backend: RenderBackend = new Proxy({} as RenderBackend, {
    get:
      (_t, name: string) =>
      (...args: unknown[]) =>
        new Promise((resolve, reject) => {
          this.pending.add(reject);
          const fn = (this.remote() as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[
            name
          ];
          fn(...args).then(
            (v) => {
              this.pending.delete(reject);
              resolve(v);
            },
            (e) => {
              this.pending.delete(reject);
              reject(e);
            },
          );
        }),
  });
}

export const renderService = new RenderService();
