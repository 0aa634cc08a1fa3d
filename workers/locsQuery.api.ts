// Filtering and sorting a localization table off the main thread, for tables too large to sort
// between two frames. The caller sends only the columns the query reads; the row indices come
// back transferred.
import * as Comlink from 'comlink';
import { queryRows, type RowQuery } from '../src/core/locs/argsort';
import type { LocTable } from '../src/core/locs/table';

export function createLocsQueryApi() {
  return {
    query(table: LocTable, q: RowQuery): Uint32Array {
      const rows = queryRows(table, q);
      return Comlink.transfer(rows, [rows.buffer]);
    },
  };
}

export type LocsQueryApi = ReturnType<typeof createLocsQueryApi>;
