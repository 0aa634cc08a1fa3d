// ThunderSTORM CSV ⇄ LocTable. ThunderSTORM's coordinates already match evscope's (nm, origin
// at the top-left corner of the top-left pixel), so positions pass through unchanged; only frames
// shift (1-based in CSV, 0-based inside).
import {
  allocColumn,
  type ColumnArray,
  type ColumnType,
  columnType,
  type LocTable,
  STANDARD_COLUMNS,
} from '../locs/table';
import { CsvError, headerEcho, isPlainDecimal, MAX_CSV_COLUMNS, NAN_TEXT, parseCsv, RejectLog } from './csv';
import { formatFloat32, formatFloat64 } from './numberFormat';
import { csvText } from './resultCsv';

/** Header → LocTable column for the columns evscope understands (v1.3 names and known aliases). */
const KNOWN: Record<string, string> = {
  frame: 'frame',
  'x [nm]': 'x',
  'y [nm]': 'y',
  'sigma [nm]': 'sigma',
  'intensity [photon]': 'photons',
  'offset [photon]': 'bg',
  'uncertainty [nm]': 'precision',
  'uncertainty_xy [nm]': 'precision',
  // ISBI/SMLM-challenge ground-truth files (e.g. "Ground-truth,frame,xnano,ynano,znano,intensity").
  xnano: 'x',
  ynano: 'y',
  znano: 'z',
  intensity: 'photons',
};

/**
 * Frame-number columns: 1-based in every file evscope writes (as ThunderSTORM's `frame`),
 * 0-based inside. `frame_last` is the last frame of a merged molecule.
 */
const FRAME_COLUMNS = new Set(['frame', 'frame_last']);

/** Row-number columns: regenerated on export, so not kept. */
const ROW_IDS = new Set(['id', 'ground-truth']);

/** Header written for each known LocTable column, in ThunderSTORM's order. */
const EXPORT_ORDER: [string, string][] = [
  ['frame', 'frame'],
  ['x', 'x [nm]'],
  ['y', 'y [nm]'],
  ['sigma', 'sigma [nm]'],
  ['photons', 'intensity [photon]'],
  ['bg', 'offset [photon]'],
  ['bkgstd', 'bkgstd [photon]'],
  ['chi2', 'chi2'],
  ['precision', 'uncertainty [nm]'],
];

export interface ThunderstormCsv {
  table: LocTable;
  /** Unit of each column as read from the header ("" when none), for writing it back. */
  units: Record<string, string>;
  /** Rows left out or values kept as NaN, counted with the first lines named. */
  warnings: string[];
}

export interface ReadCsvOptions {
  /** Name for error messages. */
  fileName?: string;
  /** Needed only if positions are given in px ("x [px]"). */
  pixelSizeNm?: number;
}

function splitHeader(h: string): { name: string; unit: string } {
  const m = /^(.*?)\s*\[(.*)\]\s*$/.exec(h);
  return m ? { name: m[1].trim(), unit: m[2].trim() } : { name: h.trim(), unit: '' };
}

class Growable {
  data: Float64Array = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
}

/** Parses ThunderSTORM CSV text; malformed input throws an Error naming the line and column. */
export function readThunderstormCsv(text: string, options: ReadCsvOptions = {}): ThunderstormCsv {
  const prefix = options.fileName ? `${options.fileName}: ` : '';
  let header: string[] | null = null;
  let targets: (string | null)[] = [];
  let scale: number[] = [];
  let cols: Growable[] = [];
  const units: Record<string, string> = {};
  const rejected = new RejectLog();
  const nanKept = new RejectLog();
  const row: number[] = [];
  try {
    parseCsv(
      text,
      (fields, line) => {
        if (!header) {
          header = fields.map((f) => f.trim());
          // Some tools (Locan's test data, spreadsheets re-saving the file) quote the whole header
          // line as one field: "id,""frame"",…". Split it again.
          if (header.length === 1 && header[0].includes(',')) {
            let inner: string[] = [];
            parseCsv(header[0], (f) => {
              if (!inner.length) inner = f.map((x) => x.trim());
            });
            header = inner;
          }
          targets = header.map((h) => {
            if (ROW_IDS.has(h.toLowerCase())) return null;
            const known = KNOWN[h] ?? KNOWN[h.toLowerCase()];
            if (known) return known;
            const { name, unit } = splitHeader(h);
            if ((name === 'x' || name === 'y') && unit === 'px') return name;
            return name;
          });
          scale = header.map((h) => {
            const { name, unit } = splitHeader(h);
            if (
              (name === 'x' || name === 'y' || name.startsWith('sigma') || name.startsWith('uncertainty')) &&
              unit === 'px'
            ) {
              if (!(options.pixelSizeNm && options.pixelSizeNm > 0)) {
                throw new CsvError(
                  line,
                  null,
                  `column "${h}" is in px; give the pixel size in nm to convert it`,
                );
              }
              return options.pixelSizeNm;
            }
            return 1;
          });
          const seen = new Set<string>();
          targets.forEach((t, c) => {
            if (t === null) return;
            if (seen.has(t)) throw new CsvError(line, c + 1, `column "${header![c]}" duplicates "${t}"`);
            seen.add(t);
            const { unit } = splitHeader(header![c]);
            units[t] = scale[c] !== 1 ? 'nm' : unit;
          });
          for (const need of ['frame', 'x', 'y']) {
            if (!seen.has(need)) {
              throw new CsvError(line, null, `no "${need}" column (header: ${headerEcho(header)})`);
            }
          }
          cols = targets.map(() => new Growable());
          return;
        }
        if (fields.length !== header.length) {
          throw new CsvError(line, null, `${fields.length} fields, but the header has ${header.length}`);
        }
        row.length = 0;
        let reject: string | undefined;
        let nanColumn: string | undefined;
        for (let c = 0; c < fields.length; c++) {
          const t = targets[c];
          if (t === null) continue;
          const f = fields[c].trim();
          const v = Number(f);
          if (f === '' || (Number.isNaN(v) && !NAN_TEXT.test(f))) {
            throw new CsvError(
              line,
              c + 1,
              `"${fields[c].slice(0, 40)}" in column "${header[c]}" is not a number`,
            );
          }
          const required = t === 'frame' || t === 'x' || t === 'y';
          if (NAN_TEXT.test(f)) {
            if (required) reject ??= `left out: NaN in "${header[c]}"`;
            else nanColumn ??= header[c];
          } else if (!isPlainDecimal(f) || !Number.isFinite(v)) {
            reject ??= `left out: a value in "${header[c]}" that is not a finite decimal number (Infinity, 1e400, 0x10…)`;
          } else if (FRAME_COLUMNS.has(t) && !(Number.isInteger(v) && v >= 1 && v <= 4294967296)) {
            throw new CsvError(line, c + 1, `${t} "${fields[c].slice(0, 40)}" is not a 1-based frame number`);
          }
          row.push(v * scale[c]);
        }
        if (reject) {
          rejected.add(reject, line);
          return;
        }
        if (nanColumn) nanKept.add(`kept with NaN ("not measured") in "${nanColumn}"`, line);
        let k = 0;
        for (let c = 0; c < fields.length; c++) if (targets[c] !== null) cols[c].push(row[k++]);
      },
      ',',
      MAX_CSV_COLUMNS,
    );
  } catch (e) {
    if (e instanceof CsvError) throw new Error(`${prefix}${e.message}`);
    throw e;
  }
  if (!header) throw new Error(`${prefix}empty file: no ThunderSTORM CSV header`);
  const columns: Record<string, ColumnArray> = {};
  let length = 0;
  targets.forEach((t, c) => {
    if (t === null) return;
    const src = cols[c];
    length = src.length;
    const spec = (STANDARD_COLUMNS as Record<string, { type: ColumnType }>)[t];
    if (FRAME_COLUMNS.has(t)) {
      const out = new Uint32Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = src.data[i] - 1;
      columns[t] = out;
    } else if (spec?.type === 'f32') {
      columns[t] = Float32Array.from(src.data.subarray(0, src.length));
    } else if (spec && spec.type !== 'f64') {
      // Integer standard columns (iterations): values outside the type would wrap silently.
      const out = allocColumn(spec.type, src.length);
      for (let i = 0; i < src.length; i++) out[i] = src.data[i];
      columns[t] = out;
    } else {
      columns[t] = src.data.slice(0, src.length);
    }
  });
  const warnings = [...rejected.messages(), ...nanKept.messages()];
  return { table: { length, columns }, units, warnings };
}

export interface WriteCsvOptions {
  /** Header of the precision column: ThunderSTORM 1.3's "uncertainty [nm]" (default) or newer "uncertainty_xy [nm]". */
  uncertaintyHeader?: 'uncertainty [nm]' | 'uncertainty_xy [nm]';
  /** Units of extra columns (those not in ThunderSTORM's set), written as "name [unit]". */
  units?: Record<string, string>;
}

/**
 * Writes a LocTable as ThunderSTORM CSV: "id", then the known columns present in ThunderSTORM's
 * order, then any other columns. Every number is written so it reads back bit-identical.
 */
export function writeThunderstormCsv(t: LocTable, options: WriteCsvOptions = {}): string {
  for (const need of ['frame', 'x', 'y']) {
    if (!t.columns[need]) throw new Error(`cannot write ThunderSTORM CSV: the table has no "${need}" column`);
  }
  const order: { name: string; header: string }[] = [];
  const known = new Set<string>();
  for (const [name, header] of EXPORT_ORDER) {
    known.add(name);
    if (!t.columns[name]) continue;
    order.push({
      name,
      header: name === 'precision' ? (options.uncertaintyHeader ?? 'uncertainty [nm]') : header,
    });
  }
  for (const name of Object.keys(t.columns)) {
    if (known.has(name)) continue;
    const unit =
      options.units?.[name] ?? (STANDARD_COLUMNS as Record<string, { unit: string }>)[name]?.unit ?? '';
    order.push({ name, header: unit ? `${name} [${unit}]` : name });
  }
  const writers = order.map(({ name }) => {
    const col = t.columns[name];
    const type = columnType(col);
    if (FRAME_COLUMNS.has(name)) return (i: number) => String(col[i] + 1);
    if (type === 'f32') return (i: number) => formatFloat32(col[i]);
    if (type === 'f64') return (i: number) => formatFloat64(col[i]);
    return (i: number) => String(col[i]);
  });
  return csvText(['id', ...order.map((o) => o.header)], t.length, (i, c) =>
    c === 0 ? String(i + 1) : writers[c - 1](i),
  );
}
