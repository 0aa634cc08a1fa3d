// Sorting and querying a LocTable by index, without moving its columns: the table view sorts
// millions of rows by any column. A comparator sort of a million indices takes ~0.5 s in V8; an
// LSD radix sort on the float64 bit patterns (four 16-bit passes, skipping passes whose digit is
// the same for every key, e.g. the low word of values that came from float32) takes a few tens
// of ms. Stable, so ties keep table (frame) order; NaN rows always go last.
import { type FilterNode, filterMask, parseFilter } from './filterExpr';
import type { LocTable } from './table';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/**
 * Indices that order `values` (ascending unless `descending`), stable; NaNs last in both
 * directions. Only the rows in `subset` (indices into `values`) when given.
 */
export function argsort(values: ArrayLike<number>, descending = false, subset?: Uint32Array): Uint32Array {
  const n = subset ? subset.length : values.length;
  const keys = new Float64Array(n);
  if (subset) for (let i = 0; i < n; i++) keys[i] = values[subset[i]];
  else for (let i = 0; i < n; i++) keys[i] = values[i];
  const words = new Uint32Array(keys.buffer);
  // Order-preserving unsigned key: flip every bit of negatives, only the sign bit of the rest.
  let idx = new Uint32Array(n);
  const nans: number[] = [];
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = keys[i];
    if (Number.isNaN(v)) {
      nans.push(i);
      continue;
    }
    const h = words[2 * i + HI];
    let hi: number;
    let lo: number;
    if (h & 0x80000000) {
      hi = ~h >>> 0;
      lo = ~words[2 * i + LO] >>> 0;
    } else {
      hi = (h | 0x80000000) >>> 0;
      lo = words[2 * i + LO];
    }
    if (v === 0) {
      // -0 and +0 are equal: give them one key so the sort stays stable across them.
      hi = 0x80000000;
      lo = 0;
    }
    if (descending) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    }
    words[2 * i + HI] = hi;
    words[2 * i + LO] = lo;
    idx[m++] = i;
  }
  let tmp = new Uint32Array(m);
  const count = new Uint32Array(65536);
  for (const [word, shift] of [
    [LO, 0],
    [LO, 16],
    [HI, 0],
    [HI, 16],
  ] as const) {
    count.fill(0);
    for (let i = 0; i < m; i++) count[(words[2 * idx[i] + word] >>> shift) & 0xffff]++;
    let skip = false;
    for (let d = 0; d < 65536; d++) {
      if (count[d] === m) skip = true;
      if (count[d] !== 0) break;
    }
    if (skip || m === 0) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < m; i++) {
      const j = idx[i];
      tmp[count[(words[2 * j + word] >>> shift) & 0xffff]++] = j;
    }
    const t = idx;
    idx = tmp;
    tmp = t;
  }
  const out = new Uint32Array(n);
  for (let i = 0; i < m; i++) out[i] = subset ? subset[idx[i]] : idx[i];
  for (let k = 0; k < nans.length; k++) out[m + k] = subset ? subset[nans[k]] : nans[k];
  return out;
}

export interface RowQuery {
  /** A filter expression (see filterExpr.ts); empty keeps every row. */
  filter?: string;
  /** Column to sort by; none keeps table order. */
  sortBy?: string | null;
  descending?: boolean;
}

/** Column names an expression reads (to send a worker only those). */
export function filterColumns(node: FilterNode, out = new Set<string>()): Set<string> {
  switch (node.type) {
    case 'column':
      out.add(node.name);
      break;
    case 'unary':
      filterColumns(node.arg, out);
      break;
    case 'binary':
      filterColumns(node.left, out);
      filterColumns(node.right, out);
      break;
    case 'range':
      filterColumns(node.arg, out);
      filterColumns(node.lo, out);
      filterColumns(node.hi, out);
      break;
    case 'call':
      for (const a of node.args) filterColumns(a, out);
      break;
  }
  return out;
}

/** The rows a filtered, sorted view shows, as indices into the table. */
export function queryRows(table: LocTable, q: RowQuery): Uint32Array {
  const n = table.length;
  let rows: Uint32Array;
  if (q.filter?.trim()) {
    const mask = filterMask(table, parseFilter(q.filter, Object.keys(table.columns)));
    let k = 0;
    for (let i = 0; i < n; i++) if (mask[i]) k++;
    rows = new Uint32Array(k);
    k = 0;
    for (let i = 0; i < n; i++) if (mask[i]) rows[k++] = i;
  } else {
    rows = new Uint32Array(n);
    for (let i = 0; i < n; i++) rows[i] = i;
  }
  if (q.sortBy) {
    const col = table.columns[q.sortBy];
    if (!col) throw new Error(`cannot sort by "${q.sortBy}": the table has no such column`);
    rows = argsort(col, q.descending ?? false, rows);
  }
  return rows;
}
