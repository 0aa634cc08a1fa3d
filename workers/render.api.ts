// The render worker: owns a copy of the raw localizations (streamed in as chunks), runs the
// post-processing pipeline over them, and renders the processed table for the screen and for
// export. The main thread only sends settings and receives RGBA bytes, so panning a
// reconstruction of millions of localizations never blocks scrolling.
import * as Comlink from 'comlink';
import { probeHdf5 } from '../src/core/io/decode';
import { writeDriftCsv } from '../src/core/io/driftCsv';
import {
  detectLocFormat,
  type LocFormat,
  readLocalizationFile,
  writeLocalizationFile,
} from '../src/core/io/localizationFiles';
import { encodePng } from '../src/core/io/png';
import { readThunderstormCsv, writeThunderstormCsv } from '../src/core/io/thunderstormCsv';
import type { DriftQuality } from '../src/core/locs/driftQuality';
import { type DriftTrace, frameCountOf } from '../src/core/locs/driftTrace';
import { type FrcOptions, type FrcResult, frc } from '../src/core/locs/frc';
import { type NenaOptions, type NenaResult, nena } from '../src/core/locs/nena';
import { applyPipeline, type PostStep, type StepStats, stepsBeforeMerge } from '../src/core/locs/pipeline';
import { concatLocTables, type LocTable } from '../src/core/locs/table';
import { burnScaleBar } from '../src/core/render/burnScaleBar';
import { exportView, type ReconSettings, reconstruct } from '../src/core/render/reconstruct';
import { boundsOf, type RenderView } from '../src/core/render/view';
import { encodeTiff } from '../src/core/stack/tiffWriter';

export interface DriftSummary {
  method: 'rcc' | 'fiducial';
  dx: Float64Array;
  dy: Float64Array;
  nodes: { frame: Float64Array; dx: Float64Array; dy: Float64Array };
  quality?: DriftQuality;
  /** False: the estimate was judged unreliable and left unapplied (the step can force it). */
  applied: boolean;
  /** The drift step this estimate belongs to (the last one when several were summed). */
  stepIndex: number;
}

export interface ProcessSummary {
  rowsIn: number;
  rowsOut: number;
  stats: StepStats[];
  drift: DriftSummary | null;
  /** Columns of the processed table (for filter validation and colour-by). */
  columns: string[];
  /** Extent of the processed localizations (nm), or null when there are none. */
  bounds: { x0: number; y0: number; x1: number; y1: number } | null;
  ms: number;
}

export interface RenderRequest {
  view: RenderView;
  settings: ReconSettings;
}

export interface RenderedImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  view: RenderView;
  sum: number;
  maxPerUm2: number;
  twoChannels: boolean;
  /** Localizations in the processed table (the image shows those inside the view). */
  count: number;
  ms: number;
}

export interface ExportRequest {
  format: 'png' | 'tiff';
  pixelNm: number;
  settings: ReconSettings;
  /** The camera field (nm) so exports line up with the raw frames; grown to hold every localization. */
  fieldNm?: { width: number; height: number };
  scaleBar?: boolean;
}

/** A file the user picked, as the main thread hands it over (Blobs cross to workers without copying). */
export interface PickedFile {
  name: string;
  blob: Blob;
}

/** A ThunderSTORM CSV read: its table and the reader's warnings (e.g. rows with NaN positions left out). */
export interface ParsedCsv {
  table: LocTable;
  warnings: string[];
}

export interface ParsedLocFile {
  table: LocTable;
  format: LocFormat;
  /** The format as users know it ("Picasso HDF5 + YAML"). */
  formatName: string;
  /** The data file read (the sidecar is not counted). */
  fileName: string;
  /** The YAML read beside a Picasso file, if any. */
  sidecarName: string | null;
  /** Camera pixel size the file declared (Picasso YAML), nm. */
  pixelSizeNm: number | null;
  warnings: string[];
}

export const LOC_FORMAT_NAMES: Record<LocFormat, string> = {
  'thunderstorm-csv': 'ThunderSTORM CSV',
  'picasso-hdf5': 'Picasso HDF5 + YAML',
  'decode-h5': 'DECODE HDF5',
  smlm: 'SMLM (.smlm)',
  rapidstorm: 'rapidSTORM',
  'nanoimager-csv': 'Nanoimager CSV',
  'elyra-txt': 'Zeiss Elyra text',
};

const isYaml = (n: string) => /\.ya?ml$/i.test(n);
const stem = (n: string) => n.replace(/\.[^.]*$/, '');

/**
 * Which of the picked files holds the localizations and which is its Picasso sidecar: Picasso
 * keeps the pixel size in `name.yaml` beside `name.hdf5`, so users select both at once.
 */
export function pickLocFiles(files: PickedFile[]): { data: PickedFile; sidecar: PickedFile | null } {
  if (files.length === 0) throw new Error('No file selected');
  const data = files.filter((f) => !isYaml(f.name));
  const yamls = files.filter((f) => isYaml(f.name));
  if (data.length === 0)
    throw new Error(
      `${yamls.map((f) => f.name).join(', ')}: Picasso's YAML holds only the metadata — select the .hdf5 localization file together with it`,
    );
  if (data.length > 1)
    throw new Error(
      `${data.map((f) => f.name).join(', ')}: select one localization file at a time (plus its .yaml for Picasso HDF5)`,
    );
  const d = data[0];
  const sidecar = yamls.find((y) => stem(y.name) === stem(d.name)) ?? (yamls.length === 1 ? yamls[0] : null);
  return { data: d, sidecar };
}

const transferTable = (t: LocTable) =>
  Comlink.transfer(
    t,
    Object.values(t.columns).map((c) => c.buffer as ArrayBuffer),
  );

function driftSummary(d: DriftTrace, applied: boolean, stepIndex: number): DriftSummary {
  return { method: d.method, dx: d.dx, dy: d.dy, nodes: d.nodes, quality: d.quality, applied, stepIndex };
}

export function createRenderApi() {
  let chunks: LocTable[] = [];
  let raw: LocTable | null = null;
  let processed: LocTable | null = null;
  let lastDrift: DriftSummary | null = null;
  let steps: PostStep[] = [];

  const rawTable = () => {
    raw ??= concatLocTables(chunks);
    return raw;
  };
  /** The processed table, re-running the pipeline if the raw data changed since. */
  const table = () => {
    if (!processed) processed = applyPipeline(rawTable(), steps).table;
    return processed;
  };
  const need = (t: LocTable) => {
    if (t.length === 0) throw new Error('no localizations loaded');
    return t;
  };

  return {
    /**
     * Parses a ThunderSTORM CSV off the main thread; the table's buffers are transferred back,
     * with the reader's warnings (rows left out, and why) for the user to see.
     */
    async parseCsv(source: Blob | string, fileName: string): Promise<ParsedCsv> {
      const text = typeof source === 'string' ? source : await source.text();
      const { table, warnings } = readThunderstormCsv(text, { fileName });
      return Comlink.transfer(
        { table, warnings },
        Object.values(table.columns).map((c) => c.buffer as ArrayBuffer),
      );
    },
    /**
     * Reads a localization file of any supported format (ThunderSTORM CSV, Picasso HDF5 + YAML,
     * .smlm, rapidSTORM, Nanoimager, Zeiss Elyra) from the files the user picked; the table's
     * buffers are transferred back. Errors name the file and what is missing.
     */
    async parseLocalizationFile(files: PickedFile[]): Promise<ParsedLocFile> {
      const { data, sidecar } = pickLocFiles(files);
      const name = data.name;
      const head = new Uint8Array(await data.blob.slice(0, 4096).arrayBuffer());
      const format = detectLocFormat(name, head);
      let parsed: Omit<ParsedLocFile, 'formatName' | 'fileName' | 'sidecarName'>;
      if (format === 'thunderstorm-csv') {
        // Fast path: straight from text, without a copy of the bytes beside it.
        const r = readThunderstormCsv(await data.blob.text(), { fileName: name });
        parsed = { table: r.table, format, pixelSizeNm: null, warnings: r.warnings };
      } else {
        const bytes = new Uint8Array(await data.blob.arrayBuffer());
        // DECODE's .h5 carries its pixel size; Picasso's (or what cannot be opened) needs the YAML.
        const flavour = format === 'picasso-hdf5' && !sidecar ? (await probeHdf5(bytes)).flavour : null;
        if (flavour === 'picasso' || flavour === 'unreadable')
          throw new Error(
            `${name}: Picasso HDF5 needs its .yaml (pixel size) — select both files (${stem(name)}.hdf5 and ${stem(name)}.yaml)`,
          );
        const r = await readLocalizationFile(name, bytes, {
          sidecarText: format === 'picasso-hdf5' && sidecar ? await sidecar.blob.text() : null,
        });
        parsed = {
          table: r.table,
          format: r.format,
          pixelSizeNm: r.pixelSizeNm ?? null,
          warnings: r.warnings,
        };
      }
      const usedSidecar = parsed.format === 'picasso-hdf5' ? sidecar : null;
      const result: ParsedLocFile = {
        ...parsed,
        formatName: LOC_FORMAT_NAMES[parsed.format],
        fileName: name,
        sidecarName: usedSidecar?.name ?? null,
      };
      // A Set: columns decoded from one archive entry may share a buffer, and listing it twice throws.
      return Comlink.transfer(result, [
        ...new Set(Object.values(result.table.columns).map((c) => c.buffer as ArrayBuffer)),
      ]);
    },
    /** Replaces the raw localizations. */
    reset(next: LocTable[]): void {
      chunks = [...next];
      raw = null;
      processed = null;
    },
    /** Adds streamed chunks to the raw localizations. */
    append(more: LocTable[]): void {
      chunks.push(...more);
      raw = null;
      processed = null;
    },
    rawCount(): number {
      return chunks.reduce((n, c) => n + c.length, 0);
    },
    /** Runs the pipeline over the raw table; the raw table itself is never modified. */
    process(next: PostStep[]): ProcessSummary {
      const t0 = performance.now();
      steps = next;
      const input = rawTable();
      if (input.length === 0) {
        processed = input;
        lastDrift = null;
        return {
          rowsIn: 0,
          rowsOut: 0,
          stats: [],
          drift: null,
          columns: Object.keys(input.columns),
          bounds: null,
          ms: 0,
        };
      }
      const r = applyPipeline(input, steps);
      processed = r.table;
      // An estimate left unapplied is what the panel must show (with its warning) first.
      const skipped = r.driftEstimates.find((e) => !e.applied);
      const lastApplied = r.driftEstimates.filter((e) => e.applied).at(-1);
      lastDrift = skipped
        ? driftSummary(skipped.trace, false, skipped.stepIndex)
        : r.drift && lastApplied
          ? driftSummary(r.drift, true, lastApplied.stepIndex)
          : null;
      const { x, y } = r.table.columns;
      return {
        rowsIn: input.length,
        rowsOut: r.table.length,
        stats: r.stats,
        drift: lastDrift,
        columns: Object.keys(r.table.columns),
        bounds: x && y ? boundsOf(x, y, r.table.length) : null,
        ms: performance.now() - t0,
      };
    },
    render(req: RenderRequest): RenderedImage {
      const t0 = performance.now();
      const t = table();
      const r = reconstruct(t, req.view, req.settings);
      const out: RenderedImage = {
        width: req.view.width,
        height: req.view.height,
        rgba: r.rgba,
        view: req.view,
        sum: r.sum,
        maxPerUm2: r.maxPerUm2,
        twoChannels: r.twoChannels,
        count: t.length,
        ms: performance.now() - t0,
      };
      return Comlink.transfer(out, [r.rgba.buffer as ArrayBuffer]);
    },
    /** The whole field at the chosen pixel: PNG (colours, scale bar burned in) or float32 TIFF. */
    async exportImage(req: ExportRequest): Promise<Uint8Array> {
      const t = need(table());
      const { x, y } = t.columns;
      const view = exportView(boundsOf(x, y, t.length), req.pixelNm, req.fieldNm);
      const r = reconstruct(t, view, req.settings);
      let bytes: Uint8Array;
      if (req.format === 'tiff') {
        bytes = await encodeTiff([r.intensity], {
          width: view.width,
          height: view.height,
          dtype: 'float32',
          pixelSizeNm: view.pixelNm,
        });
      } else {
        if (req.scaleBar ?? true) burnScaleBar(r.rgba, view.width, view.height, view.pixelNm);
        bytes = encodePng(
          { width: view.width, height: view.height, data: r.rgba, color: 'rgba' },
          {
            pixelSizeNm: view.pixelNm,
            text: { Software: 'evscope', Description: `${t.length} localizations, ${view.pixelNm} nm/px` },
          },
        );
      }
      return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
    },
    /** A copy of the processed table (e.g. for a movie built from it); buffers transferred. */
    processedTable(): LocTable {
      const t = table();
      const columns = Object.fromEntries(
        Object.entries(t.columns).map(([k, v]) => [k, v.slice(0, t.length)]),
      );
      return transferTable({ length: t.length, columns });
    },
    /** The processed table as ThunderSTORM CSV. */
    exportCsv(): string {
      return writeThunderstormCsv(need(table()));
    },
    /**
     * The processed table as Picasso HDF5 (/locs, camera px with pixel centres at integers,
     * 0-based frames) plus its YAML, for Picasso's Render and Average.
     */
    async exportPicasso(camera: { pixelSizeNm: number; width: number; height: number; frames: number }) {
      const r = await writeLocalizationFile(
        'localizations.hdf5',
        need(table()),
        { x: 'nm', y: 'nm' },
        {
          ...camera,
          appVersion: 'evscope',
        },
      );
      return Comlink.transfer({ bytes: r.bytes, yaml: r.sidecar?.text ?? '' }, [
        r.bytes.buffer as ArrayBuffer,
      ]);
    },
    /** The drift trace of the last pipeline run as CSV (frame 1-based, like the localizations). */
    driftCsv(): string {
      if (!lastDrift) throw new Error('no drift correction has run');
      if (!lastDrift.applied) throw new Error('the drift estimate was not applied (judged unreliable)');
      return writeDriftCsv(lastDrift);
    },
    /** NeNA of the localizations before any merge step (merging would inflate σ). */
    nena(opts: NenaOptions = {}): NenaResult & { beforeMerge: boolean } {
      const before = stepsBeforeMerge(steps);
      if (before.length === steps.length) return { ...nena(need(table()), opts), beforeMerge: false };
      return { ...nena(need(applyPipeline(rawTable(), before).table), opts), beforeMerge: true };
    },
    frc(opts: FrcOptions = {}): FrcResult {
      const t = need(table());
      // Alternating blocks need several blocks per half: scale the default to short runs.
      const frames = frameCountOf(t);
      const blockFrames = opts.blockFrames ?? Math.max(1, Math.min(100, Math.floor(frames / 20)));
      return frc(t, { ...opts, blockFrames });
    },
  };
}

export type RenderApi = ReturnType<typeof createRenderApi>;
