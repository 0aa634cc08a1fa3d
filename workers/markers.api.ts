// The EV-marker worker: opens the stack from its recipe (frames never cross threads), runs the
// counting pipeline with throttled progress and cancellation, and keeps the full result — every
// EV's traces and step fits — so the main thread receives only the table and asks for one EV's
// traces when the user selects it. Re-typing (thresholds, names, steps vs ratio, the probe
// test) reuses the counts without touching the stack.
import * as Comlink from 'comlink';
import {
  analyzeEvMarkers,
  EvParamsError,
  type EvProgress,
  type EvTable,
} from '../src/core/ev/analyzeEvMarkers';
import {
  type Classification,
  type ClassifyChannel,
  type CountMethod,
  classifyEvs,
  type ProbeTest,
  type SubtypeStatistics,
  subtypeStatistics,
} from '../src/core/ev/classify';
import {
  type EvLocalizationParams,
  evLocalizationColumns,
  type LocalizationColumns,
} from '../src/core/ev/localizationCounts';
import type { NoiseModel } from '../src/core/ev/noiseModel';
import type { EvMarkerParamsInput, EvRegistration } from '../src/core/ev/params';
import type { UnitIntensity } from '../src/core/ev/unitIntensity';
import type { ColumnArray } from '../src/core/locs/table';
import type { FrameSource, ReadOptions } from '../src/core/stack/types';
import { openRecipe, type StackRecipe } from './stackRecipe';

export interface LocalizationInput extends LocalizationColumns {
  /** The counted channel (its name) the localizations were made from. */
  channelName: string;
  params: EvLocalizationParams;
}

export interface MarkersRunRequest {
  recipe: StackRecipe;
  params: EvMarkerParamsInput;
  /** Which count types the EVs; 'locs' needs `localizations`. Default: params.counting.method. */
  method?: CountMethod;
  /** PALM/dSTORM localizations of one channel, counted per EV after blink merging. */
  localizations?: LocalizationInput;
  test: ProbeTest;
  /** Seed of the bootstrap, so a session reproduces its intervals. */
  bootstrapSeed?: number;
}

export interface MarkersProgress extends EvProgress {
  /** Seconds since the run started. */
  elapsed: number;
}

export interface MarkersChannelSummary {
  name: string;
  role: 'marker' | 'probe';
  channel: number;
  unit: UnitIntensity;
  noise: NoiseModel;
}

export interface MarkersClassified {
  classification: Classification;
  statistics: SubtypeStatistics;
}

export interface MarkersResult extends MarkersClassified {
  length: number;
  /** The EV table's columns (ids, positions in nm, counts); subtype columns as classified. */
  columns: Record<string, ColumnArray>;
  channels: MarkersChannelSummary[];
  nFrames: number;
  frameStart: number;
  /** Pixel size (nm) the positions were converted with. */
  pixelSizeNm: number;
  dropped: EvTable['dropped'];
  warnings: string[];
  /** The two-colour registration the ROIs were placed with (params.registration), or null. */
  registration: EvRegistration | null;
  elapsedMs: number;
}

export interface EvTraces {
  ev: number;
  frameStart: number;
  nFrames: number;
  channels: {
    name: string;
    role: 'marker' | 'probe';
    trace: Float64Array;
    /** The step fit as segments: first frame (relative), length, level. */
    segFrom: Int32Array;
    segLength: Int32Array;
    segLevel: Float64Array;
    unit: number;
  }[];
}

export interface ReclassifyRequest {
  /**
   * The EV table's count columns; lets a result restored from a session (which this worker never
   * counted) be re-typed. Defaults to the worker's last count.
   */
  columns?: Record<string, ColumnArray>;
  channels: ClassifyChannel[];
  method: CountMethod;
  rename: Record<string, string>;
  test: ProbeTest;
  bootstrapSeed?: number;
}

/** Progress messages at most this often: more only costs the main thread. */
const PROGRESS_INTERVAL_MS = 150;
/** A synchronous frame source (the simulator) would never let a cancel message in: yield this often. */
const YIELD_INTERVAL_MS = 40;

/** Lets the worker's message loop run (a cancel call) between frames of a long read. */
function yielding(src: FrameSource): FrameSource {
  let last = performance.now();
  return new Proxy(src, {
    get(target, prop) {
      if (prop !== 'readFrame') {
        // Read on the source itself, so getters and methods keep their own `this`.
        const v = Reflect.get(target, prop);
        return typeof v === 'function' ? v.bind(target) : v;
      }
      return async (index: number, options?: ReadOptions) => {
        const now = performance.now();
        if (now - last > YIELD_INTERVAL_MS) {
          last = now;
          await new Promise((r) => setTimeout(r, 0));
        }
        return target.readFrame(index, options);
      };
    },
  });
}

export function createMarkersApi(
  open: (recipe: StackRecipe, signal?: AbortSignal) => Promise<FrameSource> = openRecipe,
) {
  let current: AbortController | null = null;
  let last: { table: EvTable; frameStart: number } | null = null;

  function classify(table: EvTable, req: ReclassifyRequest): MarkersClassified {
    const classification = classifyEvs(table.columns, req.channels, req.method, req.rename);
    return {
      classification,
      statistics: subtypeStatistics(classification, req.test, { seed: req.bootstrapSeed ?? 1 }),
    };
  }

  return {
    async run(req: MarkersRunRequest, onProgress?: (p: MarkersProgress) => void): Promise<MarkersResult> {
      current?.abort();
      const ctl = new AbortController();
      current = ctl;
      const t0 = performance.now();
      let lastSent = 0;
      try {
        const src = yielding(await open(req.recipe, ctl.signal));
        const pixelSizeNm = req.params.pixelSizeNm ?? src.meta.pixelSizeNm ?? 100;
        const table = await analyzeEvMarkers(
          src,
          req.params,
          (p) => {
            const now = performance.now();
            if (now - lastSent < PROGRESS_INTERVAL_MS && p.done < p.total) return;
            lastSent = now;
            onProgress?.({ ...p, elapsed: (now - t0) / 1000 });
          },
          ctl.signal,
        );
        const frameStart = req.params.frameStart ?? 0;
        const method = req.method ?? req.params.counting?.method ?? 'steps';
        if (req.localizations) {
          const l = req.localizations;
          if (!table.channels.some((c) => c.name === l.channelName))
            throw new Error(
              `The localizations are said to come from "${l.channelName}", which is not a counted channel.`,
            );
          Object.assign(
            table.columns,
            evLocalizationColumns(
              l.channelName,
              table.columns.x as Float64Array,
              table.columns.y as Float64Array,
              l,
              l.params,
            ),
          );
        } else if (method === 'locs')
          throw new Error(
            'Counting from localizations needs the localizations of this stack: run Localize first.',
          );
        last = { table, frameStart };
        const channels = table.channels.map((c) => ({
          name: c.name,
          role: c.role,
          threshold: req.params.channels?.find((x) => x.name === c.name)?.threshold ?? 1,
        }));
        const classified = classify(table, {
          channels,
          method,
          rename: req.params.subtypeNames ?? {},
          test: req.test,
          bootstrapSeed: req.bootstrapSeed,
        });
        // Traces and fits stay here; the main thread gets the table only.
        return {
          ...classified,
          length: table.length,
          columns: table.columns,
          channels: table.channels.map((c) => ({
            name: c.name,
            role: c.role,
            channel: c.channel,
            unit: c.unit,
            noise: c.noise,
          })),
          nFrames: table.nFrames,
          frameStart,
          pixelSizeNm,
          dropped: table.dropped,
          warnings: table.warnings,
          registration: table.registration,
          elapsedMs: performance.now() - t0,
        };
      } catch (e) {
        // Validation messages travel as one sentence list; comlink keeps only name and message.
        if (e instanceof EvParamsError) throw new Error(e.messages.join('\n'));
        throw e;
      } finally {
        if (current === ctl) current = null;
      }
    },

    /** Stops the running count; its promise rejects with an AbortError. */
    cancel(): void {
      current?.abort();
    },

    /** Re-types the last result's EVs: cheap, no stack access. */
    reclassify(req: ReclassifyRequest): MarkersClassified {
      const columns = req.columns ?? last?.table.columns;
      if (!columns) throw new Error('No EV count to re-type yet: run the count first.');
      const classification = classifyEvs(columns, req.channels, req.method, req.rename);
      return {
        classification,
        statistics: subtypeStatistics(classification, req.test, { seed: req.bootstrapSeed ?? 1 }),
      };
    },

    /** One EV's traces and fitted steps in every counted channel. */
    traces(ev: number): EvTraces {
      if (!last)
        throw new Error(
          'Intensity traces need the raw frames: this result came from a session. Attach the stack and run the count to see them.',
        );
      const { table, frameStart } = last;
      if (!Number.isInteger(ev) || ev < 0 || ev >= table.length)
        throw new RangeError(`EV index ${ev} is outside 0–${table.length - 1}`);
      const n = table.nFrames;
      const out: EvTraces = {
        ev,
        frameStart,
        nFrames: n,
        channels: table.channels.map((c) => {
          const a = c.fits.segStart[ev];
          const b = c.fits.segStart[ev + 1];
          return {
            name: c.name,
            role: c.role,
            trace: c.traces.slice(ev * n, (ev + 1) * n),
            segFrom: c.fits.segFrom.slice(a, b),
            segLength: c.fits.segLength.slice(a, b),
            segLevel: c.fits.segLevel.slice(a, b),
            unit: c.unit.unit,
          };
        }),
      };
      return Comlink.transfer(
        out,
        out.channels.flatMap((c) => [
          c.trace.buffer,
          c.segFrom.buffer,
          c.segLength.buffer,
          c.segLevel.buffer,
        ]) as ArrayBuffer[],
      );
    },
  };
}

export type MarkersApi = ReturnType<typeof createMarkersApi>;
