// What a session carries of the EV-marker step: the parameters, the stack they belong to, and the
// counted result (classification as a section, the per-EV counts as the ev-counts table).
import { MarkersParamsSchema } from '../core/ev/schema';
import type { ColumnArray } from '../core/locs/table';
import { parseFields, text, v } from '../core/schema';
import type { Json } from '../core/session/index';
import { dataStore, effectiveMeta } from './dataStore';
import { defaultMarkersParams } from './markersParams';
import { type MarkersStore, markersStore } from './markersStore';
import { registerSessionPart } from './sessionPart';
import { captureMarkersResult, restoreMarkersResult } from './sessionResults';

/** EV table columns whose CSV header (evTableCsv) differs from the key: positions in nm. */
const EV_CSV_NAMES: Record<string, string> = { x: 'x [nm]', y: 'y [nm]' };

const MarkersSectionSchema = v.object({
  stack: v.optional(text(64)),
  /** Checked in `restore` against the stack's own defaults (they depend on its channels). */
  params: v.unknown(),
  counted: v.boolean(),
  resultKey: v.nullable(v.string()),
  /** The classification without the per-EV columns, checked by restoreMarkersResult. */
  result: v.optional(v.unknown()),
});

registerSessionPart({
  key: 'markers',
  schema: MarkersSectionSchema,
  defaults: () => ({ params: null, counted: false, resultKey: null }),
  capture(ctx) {
    const mk = ctx.read<MarkersStore>('markers', markersStore);
    const stack = mk.stackId !== null ? ctx.stackIds.get(mk.stackId) : undefined;
    if (!mk.params || stack === undefined) return undefined;
    const counted = mk.result !== null && mk.resultStackId === mk.stackId;
    const section: Record<string, Json> = {
      stack,
      params: JSON.parse(JSON.stringify(mk.params)) as Json,
      counted,
      resultKey: mk.resultKey,
    };
    if (counted && mk.result) {
      const packed = captureMarkersResult(mk.result, stack);
      section.result = packed.json;
      for (const t of packed.tables) ctx.addTable(t);
      const columns: Record<string, ColumnArray> = {};
      const units: Record<string, string> = {};
      // Named as in the EV table CSV; within the schema's limits (64 columns, names ≤ 64 characters).
      for (const [k, c] of Object.entries(mk.result.columns).slice(0, 64)) {
        const name = EV_CSV_NAMES[k] ?? k;
        if (name.length > 64) continue;
        columns[name] = c;
        units[name] = EV_CSV_NAMES[k] ? 'nm' : '';
      }
      ctx.addTable({
        id: 'evcounts',
        name: 'EV marker counts',
        kind: 'ev-counts',
        length: mk.result.length,
        columns,
        units,
        stack,
      });
    }
    return section;
  },
  restore(mk, ctx) {
    if (!mk || mk.params === null || mk.params === undefined) return;
    const stack = mk.stack !== undefined ? ctx.live.get(mk.stack) : undefined;
    let params: v.InferOutput<typeof MarkersParamsSchema>;
    if (stack) {
      // A bad field takes the stack's default; the rest of the parameters stay as saved.
      const parsed = parseFields(
        MarkersParamsSchema,
        mk.params,
        defaultMarkersParams(stack),
        'markers.params',
      );
      for (const w of parsed.warnings) ctx.warn(w);
      params = parsed.value;
    } else {
      // No stack to take defaults from: the saved result shows only with parameters that check.
      const parsed = v.safeParse(MarkersParamsSchema, mk.params);
      if (!parsed.success) {
        ctx.warn(`markers.params: ${parsed.issues[0].message}: the EV-marker result is left out`);
        return;
      }
      params = parsed.output;
    }
    const counts = ctx.tables.find((t) => t.kind === 'ev-counts' && t.id === 'evcounts');
    if (mk.counted && mk.result !== undefined && counts) {
      // The saved result shows as it was, with or without the raw frames; Run counts again.
      try {
        restoreMarkersResult(stack?.id ?? null, params, mk.result as Json, mk.resultKey, counts, ctx.tables);
      } catch (e) {
        ctx.warn(`the EV-marker result could not be read: ${e instanceof Error ? e.message : String(e)}`);
      }
    } else if (stack) {
      markersStore.getState().forStack(stack);
      markersStore.setState({ params });
      if (mk.counted) {
        const st = dataStore.getState().stacks.find((x) => x.info.id === stack.id);
        // An older session without the result: count again from the marker channels' frames.
        if (st) void markersStore.getState().run(stack, effectiveMeta(st).pixelSizeNm);
      }
    }
  },
  reset: () => markersStore.getState().clear(),
});
