// A small RFC 4180 CSV tokenizer: commas, double-quoted fields with "" escapes, CRLF or LF line
// ends, and the line number of every record, so readers can point at the exact bad cell.

/** Called once per non-empty record with its fields (the array is reused: copy what you keep). */
export type CsvRecordVisitor = (fields: string[], line: number) => void;

export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly column: number | null,
    reason: string,
  ) {
    super(column === null ? `line ${line}: ${reason}` : `line ${line}, column ${column}: ${reason}`);
    this.name = 'CsvError';
  }
}

/**
 * Tokenizes `text`, calling `visit` per record. Blank lines are skipped. A record with more than
 * `maxFields` fields is refused as soon as it gets there, so a hostile line costs no more.
 */
export function parseCsv(
  text: string,
  visit: CsvRecordVisitor,
  delimiter = ',',
  maxFields = Number.POSITIVE_INFINITY,
): void {
  const fields: string[] = [];
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    fields.length = 0;
    const recordLine = line;
    let lineBlank = true;
    for (;;) {
      // One field.
      let value: string;
      if (text.charCodeAt(i) === 34) {
        lineBlank = false;
        let j = i + 1;
        let parts = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new CsvError(recordLine, fields.length + 1, 'quoted field is never closed');
          parts += text.slice(j, q);
          for (let k = j; k < q; k++) if (text.charCodeAt(k) === 10) line++;
          if (text.charCodeAt(q + 1) === 34) {
            parts += '"';
            j = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        value = parts;
        const c = text.charCodeAt(i);
        if (i < n && c !== d && c !== 10 && c !== 13) {
          throw new CsvError(line, fields.length + 1, 'unexpected text after a closing quote');
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === d || c === 10 || c === 13) break;
          j++;
        }
        value = text.slice(i, j);
        if (value.length) lineBlank = false;
        i = j;
      }
      fields.push(value);
      if (fields.length > maxFields)
        throw new CsvError(recordLine, null, `more than ${maxFields} fields: not a localization table`);
      const c = text.charCodeAt(i);
      if (i < n && c === d) {
        lineBlank = false;
        i++;
        continue;
      }
      // End of record: LF, CRLF, CR or end of text.
      if (c === 13) i++;
      if (text.charCodeAt(i) === 10) i++;
      line++;
      break;
    }
    if (!lineBlank) visit(fields, recordLine);
  }
}

/** Quotes a field when it holds a delimiter, quote or line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** No localization format has this many columns; a header longer than that is not one. */
export const MAX_CSV_COLUMNS = 1000;

/** Plain decimal notation (what every SMLM tool writes); Number() would also take 0x10 and 1e400. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** "NaN" as tools write it for a value they could not measure. */
export const NAN_TEXT = /^[+-]?nan$/i;

export function isPlainDecimal(s: string): boolean {
  return DECIMAL.test(s);
}

/** A header echoed in a message: enough to recognise it, never the whole of a hostile one. */
export function headerEcho(header: string[]): string {
  const shown = header.slice(0, 12).map((h) => (h.length > 40 ? `${h.slice(0, 40)}…` : h));
  return `${shown.join(', ')}${header.length > 12 ? `, … (${header.length} fields)` : ''}`;
}

/** Counts rejected rows per reason and keeps the first few line numbers for the message. */
export class RejectLog {
  private readonly byReason = new Map<string, { count: number; lines: number[] }>();
  add(reason: string, line: number): void {
    let r = this.byReason.get(reason);
    if (!r) {
      r = { count: 0, lines: [] };
      this.byReason.set(reason, r);
    }
    r.count++;
    if (r.lines.length < 5) r.lines.push(line);
  }
  messages(): string[] {
    return [...this.byReason].map(
      ([reason, { count, lines }]) =>
        `${count} ${count === 1 ? 'row' : 'rows'} ${reason} (line${count === 1 ? '' : 's'} ${lines.join(', ')}${count > lines.length ? ', …' : ''})`,
    );
  }
}
