// The Ca²⁺ step in session files: parameters, the cells (run-length coded) and the per-cell table
// travel; traces and the heat map are recomputed by running again (one pass over the stack).
// The section is checked on open by its own schema, so a damaged file is refused in words.
import type { CellRow } from '../core/calcium';
import { v } from '../core/schema';
import { checkedJson, type Json, plainJson, registerStepSchema } from '../core/session/index';
import type { StackInfo } from '../engine/stackService';
import {
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

/** The section for the stack the step belongs to, or null when the step holds nothing. */
export function captureCalciumStep(stackIds: Map<number, string>): Json | null {
  const s = calciumStore.getState();
  const saved = captureCalcium(s);
  if (!saved || s.stackId === null || !stackIds.has(s.stackId)) return null;
  return toJson({ ...saved, stack: stackIds.get(s.stackId) });
}

export function restoreCalciumStep(
  section: Json | undefined,
  live: Map<string, StackInfo>,
  warnings: string[],
): void {
  calciumStore.getState().clear();
  if (section === undefined || section === null) return;
  try {
    const saved = parseSavedCalcium(section);
    const stack = (section as { stack?: unknown }).stack;
    const info = typeof stack === 'string' ? live.get(stack) : undefined;
    calciumStore.getState().loadSaved(saved, info?.id ?? null);
  } catch (e) {
    warnings.push(`the Ca²⁺ responses could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// The section keeps its own parser (parseSavedCalcium, above): the file is refused over a damaged one.
registerSessionPart({
  key: 'calcium',
  scope: 'workbench',
  schema: v.custom<Json>(() => true),
  defaults: () => null,
  capture: (ctx) => captureCalciumStep(new Map(ctx.stackIds)) ?? undefined,
  restore(section, ctx) {
    const warnings: string[] = [];
    restoreCalciumStep(section ?? undefined, new Map(ctx.live), warnings);
    for (const w of warnings) ctx.warn(w);
  },
});
