// Filtering and sorting a localization table off the main thread, for tables too large to sort
// between two frames. The caller sends only the columns the query reads; the row indices come
// back transferred. CSV export of large tables runs here too.
import * as Comlink from 'comlink';
import { writeThunderstormCsv } from '../src/core/io/thunderstormCsv';
import { queryRows, type RowQuery } from '../src/core/locs/argsort';
import { allocColumn, type ColumnArray, columnType, type LocTable } from '../src/core/locs/table';

/** The rows `rows` of `t`, in that order. */
export function takeRows(t: LocTable, rows: Uint32Array): LocTable {
  const columns: Record<string, ColumnArray> = {};
  for (const [name, c] of Object.entries(t.columns)) {
    const out = allocColumn(columnType(c), rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = c[rows[i]];
    columns[name] = out;
  }
  return { length: rows.length, columns };
}

export function createLocsQueryApi() {
  return {
    query(table: LocTable, q: RowQuery): Uint32Array {
      const rows = queryRows(table, q);
      return Comlink.transfer(rows, [rows.buffer]);
    },
    /** ThunderSTORM CSV of the table, or of the given rows in their order. */
    csv(table: LocTable, rows: Uint32Array | null): string {
      return writeThunderstormCsv(rows ? takeRows(table, rows) : table);
    },
  };
}

export type LocsQueryApi = ReturnType<typeof createLocsQueryApi>;
