// The Ca²⁺ step in session files: parameters, the cells (run-length coded) and the per-cell table
// in the section; every cell's ΔF/F₀ (cells × frames, Float32) and the baseline's mean image as
// binary tables, so the heat map, traces and outlines come back without the stack. Only the
// background-corrected F needs a new run. The section is checked on open by its own schema, so a
// damaged file is refused in words.
import type { CellRow } from '../core/calcium';
import { v } from '../core/schema';
import {
  checkedJson,
  type Json,
  plainJson,
  registerStepSchema,
  type SessionTable,
} from '../core/session/index';
import { packResult, type TableSpec, unpackResult } from '../core/session/resultCodec';
import type { StackInfo } from '../engine/stackService';
import {
  type CalciumState,
  type CalciumUiParams,
  calciumStore,
  captureCalcium,
  decodeLabels,
  type SavedCalcium,
} from './calciumStore';
import { registerSessionPart } from './sessionPart';

const NUMERIC_CELL_KEYS = [
  'cell',
  'xPx',
  'yPx',
  'areaPx',
  'f0',
  'baselineSd',
  'threshold',
  'latencyFrames',
  'latencyS',
  'peakDff',
  'peakFrame',
  'aucDffS',
  'transients',
  'bleachRatePerFrame',
] as const;

/** JSON has no NaN: non-finite numbers go as null and come back as NaN. */
const toJson = (v: unknown): Json =>
  JSON.parse(JSON.stringify(v, (_, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x)));
const nan = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);

export function parseSavedCalcium(j: Json): SavedCalcium {
  const o = j as unknown as Record<string, unknown>;
  if (typeof o !== 'object' || o === null) throw new Error('expected an object');
  const width = o.width;
  const height = o.height;
  if (
    !(Number.isInteger(width) && Number.isInteger(height) && (width as number) > 0 && (height as number) > 0)
  )
    throw new Error('width and height must be whole numbers > 0');
  if (typeof o.labelsRle !== 'string') throw new Error('labelsRle must be a string');
  decodeLabels(o.labelsRle, (width as number) * (height as number));
  const params = o.params as CalciumUiParams;
  if (typeof params !== 'object' || params === null || !Number.isInteger(params.addFrame))
    throw new Error('params.addFrame must be a whole number');
  const r = o.result as Record<string, unknown> | null;
  let result: SavedCalcium['result'] = null;
  if (r) {
    if (!Array.isArray(r.cells)) throw new Error('result.cells must be a list');
    const cells = (r.cells as Record<string, unknown>[]).map((c) => {
      const row = { ...c } as Record<string, unknown>;
      for (const k of NUMERIC_CELL_KEYS) row[k] = nan(c[k]);
      row.responder = c.responder === true;
      row.note = typeof c.note === 'string' ? c.note : '';
      return row as unknown as CellRow;
    });
    const s = r.summary as Record<string, unknown>;
    result = {
      cells,
      summary: {
        cells: nan(s?.cells),
        responders: nan(s?.responders),
        fraction: nan(s?.fraction),
        ci95: [nan((s?.ci95 as unknown[])?.[0]), nan((s?.ci95 as unknown[])?.[1])],
        medianLatencyS: nan(s?.medianLatencyS),
        medianPeakDff: nan(s?.medianPeakDff),
      },
      alpha: nan(r.alpha),
      frames: nan(r.frames),
    };
  }
  const source = o.cellSource;
  return {
    params,
    width: width as number,
    height: height as number,
    labelsRle: o.labelsRle,
    cellSource: source === 'rois' || source === 'edited' || source === 'segmentation' ? source : null,
    result,
  };
}

registerStepSchema('calcium', checkedJson(plainJson({ maxNodes: 400_000 }), parseSavedCalcium));

const ARRAY_TABLES: Record<string, TableSpec> = {
  dff: { name: 'calcium_dff', columns: { dff: { name: 'dff (cell-major, cells x frames)', unit: '' } } },
  image: { name: 'calcium_mean_image', columns: { mean: { name: 'baseline mean (row-major)', unit: '' } } },
};

/** The section and binary tables for the stack the step belongs to, or null when the step holds nothing. */
export function captureCalciumStep(
  stackIds: Map<number, string>,
  s: CalciumState = calciumStore.getState(),
): { section: Json; tables: SessionTable[] } | null {
  const saved = captureCalcium(s);
  if (!saved || s.stackId === null || !stackIds.has(s.stackId)) return null;
  const stack = stackIds.get(s.stackId);
  const { meanImage, result, ...rest } = saved;
  const dff = result?.dff ?? null;
  const arrays: Record<string, unknown> = {};
  if (dff) arrays.dff = { length: dff.length, columns: { dff } };
  if (meanImage) arrays.image = { length: meanImage.length, columns: { mean: meanImage } };
  const packed = packResult(arrays, {
    prefix: `calcium.${stack}`,
    kind: 'other',
    name: 'Ca2+ responses',
    stack,
    tables: ARRAY_TABLES,
  });
  const section = toJson({ ...rest, result: result && { ...result, dff: undefined }, stack });
  (section as Record<string, Json>).arrays = packed.json;
  return { section, tables: packed.tables };
}

/** ΔF/F₀ and the mean image from the section's binary tables (absent in older sessions). */
function savedArrays(section: Json, tables: readonly SessionTable[]) {
  const packed = (section as Record<string, Json>).arrays;
  if (packed === undefined || packed === null) return { dff: null, mean: null };
  const a = unpackResult(packed, tables) as {
    dff?: { columns?: { dff?: unknown } };
    image?: { columns?: { mean?: unknown } };
  };
  const dff = a.dff?.columns?.dff;
  const mean = a.image?.columns?.mean;
  if (dff !== undefined && !(dff instanceof Float32Array)) throw new Error('the ΔF/F₀ table is not float32');
  if (mean !== undefined && !(mean instanceof Float32Array)) throw new Error('the mean image is not float32');
  return { dff: dff ?? null, mean: mean ?? null };
}

export function restoreCalciumStep(
  section: Json | undefined,
  live: Map<string, StackInfo>,
  warnings: string[],
  tables: readonly SessionTable[] = [],
): void {
  calciumStore.getState().clear();
  if (section === undefined || section === null) return;
  try {
    const saved = parseSavedCalcium(section);
    let { dff, mean } = savedArrays(section, tables);
    // Arrays that do not fit are left out (the table and cells still come back), in words.
    if (saved.result && dff && dff.length !== saved.result.cells.length * saved.result.frames) {
      warnings.push(
        `the Ca²⁺ ΔF/F₀ table has ${dff.length} values, not ${saved.result.cells.length} cells × ${saved.result.frames} frames: traces left out`,
      );
      dff = null;
    }
    if (mean && mean.length !== saved.width * saved.height) {
      warnings.push(
        `the Ca²⁺ mean image has ${mean.length} pixels, not ${saved.width} × ${saved.height}: left out`,
      );
      mean = null;
    }
    if (saved.result) saved.result.dff = dff;
    saved.meanImage = mean;
    const stack = (section as { stack?: unknown }).stack;
    const info = typeof stack === 'string' ? live.get(stack) : undefined;
    calciumStore.getState().loadSaved(saved, info?.id ?? null);
  } catch (e) {
    warnings.push(`the Ca²⁺ responses could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// One section per input (the Ca²⁺ result is kept per stack, like the EV markers): the hub switches
// to each input before restoring it, so the live store is that input's. The section keeps its own
// parser (parseSavedCalcium, above): the step is refused in words over a damaged one.
registerSessionPart({
  key: 'calcium',
  schema: v.custom<Json>(() => true),
  defaults: () => null,
  capture(ctx) {
    const r = captureCalciumStep(new Map(ctx.stackIds), ctx.read<CalciumState>('calcium', calciumStore));
    if (!r) return undefined;
    for (const t of r.tables) ctx.addTable(t);
    return r.section;
  },
  restore(section, ctx) {
    const warnings: string[] = [];
    restoreCalciumStep(section ?? undefined, new Map(ctx.live), warnings, ctx.tables);
    for (const w of warnings) ctx.warn(w);
  },
  reset: () => calciumStore.getState().clear(),
});
