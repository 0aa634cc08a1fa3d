// Main-thread side of the render worker (workers/render.api.ts), through the one worker-service
// helper (workerCalls.ts): started on first use, restarted after a crash or silence, rejecting
// the calls the dead worker can no longer answer. Not redone: the worker holds the localizations.
import type { RenderApi } from '../../workers/render.api';
import { browserWorkerFactory } from './browserWorker';
import { serviceCalls, type WorkerService, type WorkerServiceOptions, workerService } from './workerCalls';
import type { PoolCalls, WorkerFactory } from './workerPool';

export type {
  DriftSummary,
  ExportRequest,
  ProcessSummary,
  RenderApi,
  RenderedImage,
  RenderRequest,
} from '../../workers/render.api';

/** What the stores need from the render worker; tests pass a fake or a MessageChannel-wrapped API. */
export type RenderBackend = PoolCalls<RenderApi>;

/** The browser's render workers (a lane of the experiment batch makes a service of its own). */
const renderWorkers = browserWorkerFactory<RenderApi>(
  () => new Worker(new URL('../../workers/render.worker.ts', import.meta.url), { type: 'module' }),
);

export class RenderService {
  private readonly worker: WorkerService<RenderApi>;
  /** Called after the worker died; its copy of the localizations is gone and must be re-sent. */
  onCrash: ((message: string) => void) | null = null;

  constructor(factory: WorkerFactory<RenderApi> = renderWorkers, options: WorkerServiceOptions = {}) {
    // Post-processing steps (RCC drift on millions of rows) are single synchronous calls that
    // cannot beat: a generous deadline.
    this.worker = workerService(factory, { name: 'the render worker', deadlineMs: 120_000, ...options });
    this.worker.onDeath((e) => this.onCrash?.(e.message));
    this.backend = serviceCalls(this.worker);
  }

  /** The worker's API with every call tracked, so a crash rejects instead of hanging. */
  readonly backend: RenderBackend;

  terminate(): void {
    this.worker.terminate();
  }
}

export const renderService = new RenderService();
