// Growable columns for one chunk of localizations; `take()` hands out exact-length arrays that
// own their buffers, so a worker can transfer them without copying.
import {
  allocColumn,
  type ColumnArray,
  type ColumnSpec,
  type LocTable,
  STANDARD_COLUMNS,
} from '../locs/table';

/** The localizer's output: the standard columns plus the fit flags. */
export const LOCALIZER_COLUMNS = {
  ...STANDARD_COLUMNS,
  flags: {
    type: 'u8',
    unit: '',
    description: 'fit flags: 0 good, +1 not converged, +2 left the window or σ at its bound, +4 invalid',
  },
} as const satisfies Record<string, ColumnSpec>;

export type LocalizerColumn = keyof typeof LOCALIZER_COLUMNS;

export class LocTableBuilder {
  length = 0;
  private capacity: number;
  columns: Record<LocalizerColumn, ColumnArray>;

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.columns = this.alloc(capacity);
  }

  private alloc(n: number): Record<LocalizerColumn, ColumnArray> {
    const out = {} as Record<LocalizerColumn, ColumnArray>;
    for (const [name, spec] of Object.entries(LOCALIZER_COLUMNS))
      out[name as LocalizerColumn] = allocColumn(spec.type, n);
    return out;
  }

  /** Index of a new row (grown as needed); the caller writes every column at it. */
  addRow(): number {
    if (this.length === this.capacity) {
      const bigger = this.alloc(this.capacity * 2);
      for (const k of Object.keys(bigger) as LocalizerColumn[]) bigger[k].set(this.columns[k]);
      this.columns = bigger;
      this.capacity *= 2;
    }
    return this.length++;
  }

  /** The rows so far as a table with its own buffers; the builder starts empty again. */
  take(): LocTable {
    const columns: Record<string, ColumnArray> = {};
    for (const k of Object.keys(this.columns) as LocalizerColumn[])
      columns[k] = this.columns[k].slice(0, this.length);
    const table = { length: this.length, columns };
    this.length = 0;
    return table;
  }
}
