// A table that grows by appended chunks, as a streaming run delivers them. Columns live in buffers
// that double their capacity, so n rows cost O(n) copies in all, where concatenating every chunk
// again on each append (to show the table while it grows) costs O(n²).
import { allocColumn, type ColumnArray, columnType, type LocTable } from './table';

const MIN_CAPACITY = 1024;

export class GrowingLocTable {
  private readonly buffers = new Map<string, ColumnArray>();
  private rows = 0;
  private capacity = 0;
  /** Values copied so far (rows × columns, growth included): what appending has cost. */
  copied = 0;

  get length(): number {
    return this.rows;
  }

  /** Adds the chunk's rows; a column the chunk lacks gets NaN (floats) or 0, as concatLocTables. */
  append(chunk: LocTable): void {
    const need = this.rows + chunk.length;
    if (need > this.capacity) this.grow(Math.max(need, 2 * this.capacity, MIN_CAPACITY));
    for (const [name, column] of Object.entries(chunk.columns)) {
      let out = this.buffers.get(name);
      if (!out) {
        out = allocColumn(columnType(column), this.capacity);
        if (out instanceof Float64Array || out instanceof Float32Array) out.fill(Number.NaN, 0, this.rows);
        this.buffers.set(name, out);
      }
      out.set(column.subarray(0, chunk.length), this.rows);
      this.copied += chunk.length;
    }
    for (const [name, out] of this.buffers)
      if (!(name in chunk.columns) && (out instanceof Float64Array || out instanceof Float32Array))
        out.fill(Number.NaN, this.rows, need);
    this.rows = need;
  }

  /**
   * The rows so far, as views: appending later never changes them (it writes past their end, or
   * into new buffers). Do not transfer their buffers to a worker: copy first.
   */
  table(): LocTable {
    const columns: Record<string, ColumnArray> = {};
    for (const [name, out] of this.buffers) columns[name] = out.subarray(0, this.rows);
    return { length: this.rows, columns };
  }

  private grow(capacity: number): void {
    for (const [name, old] of this.buffers) {
      const out = allocColumn(columnType(old), capacity);
      out.set(old.subarray(0, this.rows));
      this.copied += this.rows;
      this.buffers.set(name, out);
    }
    this.capacity = capacity;
  }
}
