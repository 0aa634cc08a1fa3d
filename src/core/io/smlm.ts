// ShareLoc.XYZ `.smlm` files (imodpasteur/smlm-file-format, format_version 0.2): a ZIP with a
// `manifest.json` and binary localization tables. As the real files (Locan, ThunderSTORM's
// exporter) lay them out, a binary table is row-major: one packed little-endian record per
// localization, the columns in `headers` order with the `dtype` of each (no padding), `rows`
// records; `offset` per column is added to the stored values; `shape` 1 is a scalar column
// (larger shapes, e.g. raw patches, are skipped with a warning). Numbers in the manifest may be
// JSON numbers or strings ("rows": "10", as Locan writes).
//
// Column names: evscope writes its own names except photons → "intensity" and bg →
// "background" (ShareLoc's built-in headers); reading maps those and Locan's position_x/y,
// local_background back. Frames are written as evscope holds them (0-based), as Locan does.
import { allocColumn, type ColumnArray, type ColumnType, columnType, type LocTable } from '../locs/table';
import { openZip, type ZipArchive, ZipError, type ZipLimits, zipLimitsFor } from './zip';

export class SmlmError extends Error {
  override name = 'SmlmError';
}

/** dtype → [bytes, DataView reader]; int8/16 read into Int32Array, 64-bit into Float64Array. */
const READ_DTYPES: Record<string, { size: number; out: 'f64' | 'f32' | 'u32' | 'i32' | 'u16' | 'u8' }> = {
  float64: { size: 8, out: 'f64' },
  float32: { size: 4, out: 'f32' },
  uint32: { size: 4, out: 'u32' },
  int32: { size: 4, out: 'i32' },
  uint16: { size: 2, out: 'u16' },
  int16: { size: 2, out: 'i32' },
  uint8: { size: 1, out: 'u8' },
  int8: { size: 1, out: 'i32' },
  uint64: { size: 8, out: 'f64' },
  int64: { size: 8, out: 'f64' },
};

const ALIASES_IN: Record<string, string> = {
  position_x: 'x',
  position_y: 'y',
  position_z: 'z',
  intensity: 'photons',
  background: 'bg',
  local_background: 'bg',
};
const ALIASES_OUT: Record<string, string> = { photons: 'intensity', bg: 'background' };

export interface SmlmTable {
  /** Entry name in the archive, e.g. "table-0.bin". */
  file: string;
  channel: string;
  /** Index in manifest.files. */
  index: number;
  table: LocTable;
  units: Record<string, string>;
  /** Header names as stored, in order, for the columns kept. */
  headers: string[];
  /** The manifest's own file info (e.g. evscope's table id), untrusted. */
  info: Record<string, unknown>;
}

export interface SmlmContents {
  archive: ZipArchive;
  manifest: Record<string, unknown>;
  tables: SmlmTable[];
  warnings: string[];
}

export interface ReadSmlmOptions {
  fileName?: string;
  limits?: ZipLimits;
  /** Largest manifest.json, bytes. */
  maxManifestBytes?: number;
  /** Read only the tables whose file info passes (e.g. to skip what evscope reads itself). */
  selectFile?: (info: Record<string, unknown>, index: number) => boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-negative integer given as a number or a decimal string. */
function count(v: unknown, path: string, max: number): number {
  const n = typeof v === 'string' && /^\s*\d{1,16}\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw new SmlmError(`${path} ${JSON.stringify(v)?.slice(0, 40)} is not a non-negative integer`);
  if (n > max) throw new SmlmError(`${path} ${n} is larger than the limit of ${max}`);
  return n;
}

function text(v: unknown, path: string, max = 256): string {
  if (typeof v !== 'string')
    throw new SmlmError(`${path} must be text, got ${v === null ? 'null' : typeof v}`);
  if (v.length > max) throw new SmlmError(`${path} is longer than ${max} characters`);
  return v;
}

function shapeSize(v: unknown, path: string): number {
  if (v === undefined) return 1;
  const dims = Array.isArray(v) ? v : [v];
  if (dims.length > 4) throw new SmlmError(`${path} has more than 4 dimensions`);
  let n = 1;
  dims.forEach((d, k) => {
    n *= count(d, `${path}[${k}]`, 1 << 16);
  });
  if (n < 1 || n > 1 << 20) throw new SmlmError(`${path} ${JSON.stringify(v)} is not a supported shape`);
  return n;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses manifest.json bytes: UTF-8, size-limited, an object. */
export function parseManifest(bytes: Uint8Array, max: number): Record<string, unknown> {
  if (bytes.length > max) throw new SmlmError(`manifest.json is larger than ${max} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(bytes));
  } catch (e) {
    throw new SmlmError(`manifest.json is not valid JSON (${(e as Error).message.slice(0, 120)})`);
  }
  if (!isObject(json)) throw new SmlmError('manifest.json must hold a JSON object');
  return json;
}

/** Decodes one column of packed little-endian records into a typed array. */
function decodeColumn(dv: DataView, rows: number, record: number, at: number, dtype: string): ColumnArray {
  const { out } = READ_DTYPES[dtype];
  const col = allocColumn(out, rows);
  let o = at;
  switch (dtype) {
    case 'float64':
      for (let i = 0; i < rows; i++, o += record) col[i] = dv.getFloat64(o, true);
      break;
    case 'float32':
      for (let i = 0; i < rows; i++, o += record) col[i] = dv.getFloat32(o, true);
      break;
    case 'uint32':
      for (let i = 0; i < rows; i++, o += record) col[i] = dv.getUint32(o, true);
      break;
    case 'int32':
      for (let i = 0; i < rows; i++, o += record) col[i] = dv.getInt32(o, true);
      break;
    case 'uint16':
      for (let i = 0; i < rows; i++, o += record) col[i] = dv.getUint16(o, true);
      break;
    case 'int16':
      for (let i = 0; i < rows; i++, o += record) col[i] = dv.getInt16(o, true);
      break;
    case 'uint8':
      for (let i = 0; i < rows; i++, o += record) col[i] = dv.getUint8(o);
      break;
    case 'int8':
      for (let i = 0; i < rows; i++, o += record) col[i] = dv.getInt8(o);
      break;
    case 'uint64':
      for (let i = 0; i < rows; i++, o += record)
        col[i] = dv.getUint32(o, true) + dv.getUint32(o + 4, true) * 2 ** 32;
      break;
    case 'int64':
      for (let i = 0; i < rows; i++, o += record)
        col[i] = dv.getUint32(o, true) + dv.getInt32(o + 4, true) * 2 ** 32;
      break;
  }
  return col;
}

/**
 * Reads a `.smlm` archive: the manifest and every binary table it lists. Throws SmlmError (or
 * ZipError) with the file name and the manifest path at fault.
 */
export function readSmlm(bytes: Uint8Array, options: ReadSmlmOptions = {}): SmlmContents {
  const prefix = `${options.fileName ?? 'file'}: `;
  try {
    return readSmlmInner(bytes, options);
  } catch (e) {
    if (e instanceof SmlmError || e instanceof ZipError) {
      const err = new SmlmError(prefix + e.message);
      throw err;
    }
    throw e;
  }
}

function readSmlmInner(bytes: Uint8Array, options: ReadSmlmOptions): SmlmContents {
  const archive = openZip(bytes, options.limits ?? zipLimitsFor(bytes.length));
  const warnings = archive.ignored.map(
    (n) => `ignored the entry "${n}" (its name points outside the archive)`,
  );
  if (!archive.entries.has('manifest.json'))
    throw new SmlmError('no manifest.json: not a ShareLoc .smlm file');
  const maxManifest = options.maxManifestBytes ?? 16 << 20;
  const manifest = parseManifest(archive.read('manifest.json', maxManifest), maxManifest);
  const M = 'manifest.json: ';
  const formats = manifest.formats;
  if (!isObject(formats)) throw new SmlmError(`${M}"formats" must be an object`);
  const files = manifest.files;
  if (!Array.isArray(files)) throw new SmlmError(`${M}"files" must be a list`);
  if (files.length > 1024) throw new SmlmError(`${M}"files" lists ${files.length} files (limit 1024)`);
  const tables: SmlmTable[] = [];
  files.forEach((info: unknown, index) => {
    const fp = `${M}files[${index}]`;
    if (!isObject(info)) throw new SmlmError(`${fp} must be an object`);
    if (info.type !== 'table') {
      warnings.push(
        `${fp}: skipped a file of type ${JSON.stringify(info.type)?.slice(0, 30)} (only tables are read)`,
      );
      return;
    }
    if (options.selectFile && !options.selectFile(info, index)) return;
    const name = text(info.name, `${fp}.name`, 512);
    const formatName = text(info.format, `${fp}.format`, 256);
    if (!Object.hasOwn(formats, formatName))
      throw new SmlmError(`${fp}.format "${formatName}" is not in "formats"`);
    const format = formats[formatName];
    const fmp = `${M}formats["${formatName}"]`;
    if (!isObject(format)) throw new SmlmError(`${fmp} must be an object`);
    if (format.mode !== 'binary') {
      warnings.push(
        `${fp}: skipped "${name}" (mode ${JSON.stringify(format.mode)?.slice(0, 20)}; only binary tables are read)`,
      );
      return;
    }
    const headers = format.headers;
    const dtypes = format.dtype;
    if (!Array.isArray(headers) || !Array.isArray(dtypes))
      throw new SmlmError(`${fmp} needs "headers" and "dtype" lists`);
    const ncol = count(format.columns ?? headers.length, `${fmp}.columns`, 4096);
    if (headers.length !== ncol || dtypes.length !== ncol)
      throw new SmlmError(
        `${fmp}: ${ncol} columns, but ${headers.length} headers and ${dtypes.length} dtypes`,
      );
    const shapes = Array.isArray(format.shape) ? format.shape : [];
    const units = Array.isArray(format.units) ? format.units : [];
    const offsets = isObject(info.offset) ? info.offset : {};
    const rows = count(info.rows, `${fp}.rows`, 2 ** 31 - 1);
    const layout: { header: string; dtype: string; at: number; scalar: boolean }[] = [];
    let record = 0;
    for (let c = 0; c < ncol; c++) {
      const header = text(headers[c], `${fmp}.headers[${c}]`, 128);
      const dtRaw = text(dtypes[c], `${fmp}.dtype[${c}]`, 32);
      const dt = dtRaw.replace(/^[<|]/, '').toLowerCase();
      if (!Object.hasOwn(READ_DTYPES, dt) || dtRaw.startsWith('>'))
        throw new SmlmError(`${fmp}.dtype[${c}] '${dtRaw}' is not supported`);
      const n = shapeSize(shapes[c], `${fmp}.shape[${c}]`);
      layout.push({ header, dtype: dt, at: record, scalar: n === 1 });
      record += READ_DTYPES[dt].size * n;
    }
    if (record === 0) throw new SmlmError(`${fmp} has no columns`);
    const entry = archive.entries.get(name);
    if (!entry) throw new SmlmError(`${fp}: "${name}" is not in the archive`);
    if (entry.size !== rows * record)
      throw new SmlmError(
        `${fp}: "${name}" holds ${entry.size} bytes, but ${rows} rows × ${record} bytes per row need ${rows * record}`,
      );
    const data = archive.read(name);
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const columns: Record<string, ColumnArray> = {};
    const unitOut: Record<string, string> = {};
    const kept: string[] = [];
    layout.forEach(({ header, dtype, at, scalar }, c) => {
      if (!scalar) {
        warnings.push(`${fp}: skipped column "${header}" (not a scalar column)`);
        return;
      }
      let key = (Object.hasOwn(ALIASES_IN, header) ? ALIASES_IN[header] : header).replace(/^_/, '');
      if (key === '' || Object.hasOwn(columns, key)) key = `${header}_${c}`;
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') key = `_${key}`;
      let col = decodeColumn(dv, rows, record, at, dtype);
      const off = Object.hasOwn(offsets, header) ? Number(offsets[header]) : 0;
      if (Number.isFinite(off) && off !== 0) {
        const shifted = new Float64Array(rows);
        for (let i = 0; i < rows; i++) shifted[i] = col[i] + off;
        col = shifted;
      }
      columns[key] = col;
      const u = units[c];
      unitOut[key] = typeof u === 'string' && u.length <= 32 ? u : '';
      if ((key === 'x' || key === 'y' || key === 'z') && unitOut[key] === '') unitOut[key] = 'nm';
      kept.push(header);
    });
    for (const axis of ['x', 'y']) {
      if (!columns[axis]) warnings.push(`${fp}: "${name}" has no ${axis} column`);
      else if (unitOut[axis] !== 'nm')
        throw new SmlmError(`${fmp}: ${axis} is in "${unitOut[axis]}"; only nm is supported`);
    }
    const channel = typeof info.channel === 'string' ? info.channel.slice(0, 128) : 'default';
    tables.push({
      file: name,
      channel,
      index,
      table: { length: rows, columns },
      units: unitOut,
      headers: kept,
      info,
    });
  });
  return { archive, manifest, tables, warnings };
}

// ---------------------------------------------------------------- writing

const WRITE_DTYPE: Record<ColumnType, [string, number]> = {
  f64: ['float64', 8],
  f32: ['float32', 4],
  u32: ['uint32', 4],
  i32: ['int32', 4],
  u16: ['uint16', 2],
  u8: ['uint8', 1],
};

export interface SmlmTableOut {
  /** Archive entry name, e.g. "table-0.bin". */
  file: string;
  /** Key in "formats". */
  formatName: string;
  /** The formats[] value. */
  format: Record<string, unknown>;
  /** The files[] value. */
  info: Record<string, unknown>;
  bytes: Uint8Array;
}

/**
 * Encodes a localization table as a ShareLoc binary table (packed little-endian records in
 * column order, each column in its own dtype, so values read back bit-identical).
 */
export function encodeSmlmTable(
  t: LocTable,
  o: {
    file: string;
    formatName: string;
    channel?: string;
    units?: Record<string, string>;
    extra?: Record<string, unknown>;
  },
): SmlmTableOut {
  const names = Object.keys(t.columns);
  const headers: string[] = [];
  const dtypes: string[] = [];
  const units: string[] = [];
  const sizes: number[] = [];
  for (const n of names) {
    const alias = ALIASES_OUT[n];
    headers.push(alias && !Object.hasOwn(t.columns, alias) ? alias : n);
    const [dt, size] = WRITE_DTYPE[columnType(t.columns[n])];
    dtypes.push(dt);
    sizes.push(size);
    units.push(o.units?.[n] ?? (n === 'x' || n === 'y' || n === 'z' ? 'nm' : ''));
  }
  const record = sizes.reduce((a, b) => a + b, 0);
  const rows = t.length;
  const bytes = new Uint8Array(rows * record);
  const dv = new DataView(bytes.buffer);
  const min: Record<string, number> = {};
  const max: Record<string, number> = {};
  let at = 0;
  names.forEach((n, c) => {
    const col = t.columns[n];
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < rows; i++) {
      const v = col[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (rows > 0 && Number.isFinite(lo)) {
      min[headers[c]] = lo;
      max[headers[c]] = hi;
    }
    let p = at;
    switch (dtypes[c]) {
      case 'float64':
        for (let i = 0; i < rows; i++, p += record) dv.setFloat64(p, col[i], true);
        break;
      case 'float32':
        for (let i = 0; i < rows; i++, p += record) dv.setFloat32(p, col[i], true);
        break;
      case 'uint32':
        for (let i = 0; i < rows; i++, p += record) dv.setUint32(p, col[i], true);
        break;
      case 'int32':
        for (let i = 0; i < rows; i++, p += record) dv.setInt32(p, col[i], true);
        break;
      case 'uint16':
        for (let i = 0; i < rows; i++, p += record) dv.setUint16(p, col[i], true);
        break;
      default:
        for (let i = 0; i < rows; i++, p += record) bytes[p] = col[i];
    }
    at += sizes[c];
  });
  return {
    file: o.file,
    formatName: o.formatName,
    format: {
      name: o.formatName,
      type: 'table',
      mode: 'binary',
      extension: '.bin',
      columns: headers.length,
      headers,
      dtype: dtypes,
      shape: headers.map(() => 1),
      units,
      description: 'localization table written by evscope (packed little-endian records)',
    },
    info: {
      name: o.file,
      type: 'table',
      format: o.formatName,
      channel: o.channel ?? 'default',
      rows,
      offset: {},
      min,
      max,
      ...o.extra,
    },
    bytes,
  };
}

/** The manifest for some encoded tables plus descriptive fields (name, description, tags…). */
export function smlmManifest(
  tables: readonly SmlmTableOut[],
  meta: Record<string, unknown> = {},
): Record<string, unknown> {
  const formats: Record<string, unknown> = {};
  for (const t of tables) formats[t.formatName] = t.format;
  return {
    format_version: '0.2',
    formats,
    files: tables.map((t) => t.info),
    name: '',
    description: '',
    tags: ['SMLM'],
    thumbnail: '',
    sample: '',
    labeling: '',
    date: '',
    author: '',
    citation: '',
    email: '',
    ...meta,
  };
}
