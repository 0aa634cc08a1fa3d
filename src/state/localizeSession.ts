// What a session carries of the Localize step: the settings (once), and per input the
// localizations with the run that made them (or the file they came from).
import { LocalizeParamsInputSchema } from '../core/localize/params';
import { DEFAULT_SETTINGS, LocalizeRunSchema, LocalizeSettingsSchema } from '../core/localize/settings';
import { concatLocTables, type LocTable, STANDARD_COLUMNS } from '../core/locs/table';
import { v } from '../core/schema';
import type { Json } from '../core/session/index';
import { isLocalizeRecord, type LocalizeRunRecord, localizeActions } from './localizeActions';
import { localizeParamsStore } from './localizeParamsStore';
import { type LocsState, locsStore, locsTable } from './locsStore';
import { registerSessionPart } from './sessionPart';

const json = (x: unknown): Json => JSON.parse(JSON.stringify(x ?? null)) as Json;

function unitsOf(t: LocTable): Record<string, string> {
  const units: Record<string, string> = {};
  for (const k of Object.keys(t.columns))
    units[k] = (STANDARD_COLUMNS as Record<string, { unit: string }>)[k]?.unit ?? '';
  return units;
}

registerSessionPart({
  key: 'localizeSettings',
  scope: 'workbench',
  schema: LocalizeSettingsSchema,
  defaults: () => DEFAULT_SETTINGS,
  capture: () => json(localizeParamsStore.getState().settings),
  restore: (settings) => localizeParamsStore.getState().load(settings ?? DEFAULT_SETTINGS),
});

registerSessionPart({
  key: 'localizeRun',
  schema: LocalizeRunSchema,
  defaults: () => ({ status: 'done' as const }),
  capture(ctx) {
    const locs = ctx.read<LocsState>('locs', locsStore);
    if (!(locs.count > 0 || locs.status === 'done')) return undefined;
    const t = ctx.live ? locsTable() : concatLocTables(locs.chunks);
    const stack = locs.stackId !== null ? ctx.stackIds.get(locs.stackId) : undefined;
    ctx.addTable({
      id: 'locs',
      name: 'localizations',
      kind: 'localizations',
      length: t.length,
      columns: { ...t.columns },
      units: unitsOf(t),
      ...(stack ? { stack } : {}),
    });
    const run: Record<string, Json> = { status: locs.status === 'running' ? 'cancelled' : locs.status };
    if (isLocalizeRecord(locs.params)) {
      const { plan } = locs.params;
      ctx.steps.localize = json(plan.params);
      run.channel = plan.channel;
      run.frames = json(plan.frames);
      run.roi = json(plan.roi ?? null);
    } else if (locs.params !== null && locs.params !== undefined) {
      run.source = json(locs.params);
    }
    return run;
  },
  restore(run, ctx) {
    const locTable = ctx.tables.find((t) => t.kind === 'localizations');
    if (!locTable) return;
    const stackInfo = locTable.stack ? ctx.live.get(locTable.stack) : undefined;
    let params: unknown = run?.source ?? { source: 'session' };
    const asked = ctx.steps.localize;
    if (asked !== undefined && run && stackInfo) {
      const parsed = v.safeParse(LocalizeParamsInputSchema, asked);
      if (parsed.success) {
        const plan: LocalizeRunRecord['plan'] = {
          stackId: stackInfo.id,
          channel: run.channel ?? 0,
          params: parsed.output,
          frames: run.frames ?? { start: 0, end: stackInfo.frameCount },
          roi: run.roi ?? undefined,
          scmosMaps: undefined,
        };
        params = { kind: 'localize', signature: JSON.stringify(plan), plan } satisfies LocalizeRunRecord;
      } else {
        ctx.warn(
          `localize: the run's parameters could not be read (${parsed.issues[0].message}): the localizations open without them`,
        );
      }
    }
    const table: LocTable = { length: locTable.length, columns: locTable.columns };
    locsStore.getState().load(stackInfo?.id ?? ctx.tableInput, table, params);
    if (run?.status === 'cancelled' || run?.status === 'failed') locsStore.getState().finish(run.status);
  },
  reset() {
    // A run may be filling a stack that is not on screen: its table is not in locsStore.
    if (localizeActions.running) localizeActions.cancel();
    locsStore.getState().clear();
  },
});
