// Filtered, sorted row indices of a localization table: small tables on the spot, large ones in
// a worker (sent only the columns the query reads), so sorting millions of rows never freezes
// scrolling. Errors in the expression are thrown before any work, with their position.
import type { LocsQueryApi } from '../../workers/locsQuery.api';
import { filterColumns, queryRows, type RowQuery } from '../core/locs/argsort';
import { parseFilter } from '../core/locs/filterExpr';
import type { ColumnArray, LocTable } from '../core/locs/table';
import { browserWorkerFactory } from './browserWorker';
import { onFirstUse, type WorkerService, type WorkerServiceOptions, workerService } from './workerCalls';
import type { WorkerFactory } from './workerPool';

/** Above this many rows a query goes to the worker. */
export const WORKER_QUERY_ROWS = 200_000;

/** Query workers from `factory`; a query is a pure function of what it is sent, so it is redone. */
export function locsQueryService(
  factory: WorkerFactory<LocsQueryApi>,
  options: WorkerServiceOptions = {},
): WorkerService<LocsQueryApi> {
  return workerService(factory, { name: 'the table worker', redo: true, ...options });
}

const worker = onFirstUse(() =>
  locsQueryService(
    browserWorkerFactory<LocsQueryApi>(
      () => new Worker(new URL('../../workers/locsQuery.worker.ts', import.meta.url), { type: 'module' }),
    ),
  ),
);

export async function queryLocs(table: LocTable, q: RowQuery): Promise<Uint32Array> {
  const names = Object.keys(table.columns);
  const need = new Set<string>();
  if (q.filter?.trim()) filterColumns(parseFilter(q.filter, names), need);
  if (q.sortBy) need.add(q.sortBy);
  if (need.size === 0) return queryRows(table, {});
  if (table.length <= WORKER_QUERY_ROWS || typeof Worker === 'undefined') return queryRows(table, q);
  const columns: Record<string, ColumnArray> = {};
  for (const n of need) if (table.columns[n]) columns[n] = table.columns[n].subarray(0, table.length);
  return worker().call((api) => api.query({ length: table.length, columns }, q));
}

/** ThunderSTORM CSV text of the table (or of `rows`, in that order), written off the main thread. */
export async function locsCsv(table: LocTable, rows: Uint32Array | null): Promise<string> {
  if (typeof Worker === 'undefined') {
    const { createLocsQueryApi } = await import('../../workers/locsQuery.api');
    return createLocsQueryApi().csv(table, rows);
  }
  return worker().call((api) => api.csv(table, rows));
}
