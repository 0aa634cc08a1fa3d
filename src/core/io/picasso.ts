// Picasso localizations: HDF5 `/locs` (a compound table, one record per localization) plus the
// YAML beside it (picassoYaml.ts). Read and written through h5wasm (the HDF5 C library in
// WebAssembly, embedded in its ESM build: no network, same code in browsers, workers and Node),
// loaded on first use so the 4 MB module never weighs on pages that do not need it.
//
// Conventions (checked against Picasso 0.8 output vs ThunderSTORM on the same movie, see
// test/core/io/picasso.test.ts): Picasso's x, y are camera pixels with pixel centres at integers
// (the first pixel spans −0.5…0.5); evscope's are nm from the top-left corner of the first pixel,
// so x_nm = (x + 0.5) × pixel size. frame is 0-based in both. sx, sy, lpx, lpy are pixels;
// evscope keeps them in nm and derives sigma = (sx + sy)/2 and precision = (lpx + lpy)/2.
// photons and bg (photons per pixel) pass through; other fields keep their names and types.
import { type ColumnArray, type LocTable, selectRows } from '../locs/table';
import {
  type PicassoInfo,
  parsePicassoYaml,
  picassoInfo,
  writePicassoYaml,
  type YamlDoc,
} from './picassoYaml';

type H5 = typeof import('h5wasm');
let h5: Promise<H5> | null = null;

/** The h5wasm module, loaded and initialised once. */
export function loadH5wasm(): Promise<H5> {
  h5 ??= import('h5wasm').then(async (m) => {
    await m.ready;
    return m;
  });
  return h5;
}

let serial = 0;

/** Runs `fn` on `bytes` as a file in h5wasm's in-memory file system, then removes it. */
export async function withH5File<T>(bytes: Uint8Array | null, fn: (m: H5, path: string) => T): Promise<T> {
  const m = await loadH5wasm();
  const path = `/evscope-${Date.now().toString(36)}-${serial++}.h5`;
  if (bytes) m.Module.FS.writeFile(path, bytes);
  try {
    return fn(m, path);
  } finally {
    try {
      m.Module.FS.unlink(path);
    } catch {
      // never created
    }
  }
}

export interface PicassoLocs {
  table: LocTable;
  units: Record<string, string>;
  info: PicassoInfo;
  /** Every YAML document, for provenance. */
  yaml: YamlDoc[];
  /** Rows left out, with the reason. */
  warnings: string[];
}

export interface ReadPicassoOptions {
  fileName?: string;
  /** Overrides / supplies the pixel size when the YAML has none. */
  pixelSizeNm?: number;
}

const PX_FIELDS = new Set(['sx', 'sy', 'lpx', 'lpy']);

/** Reads Picasso's HDF5 (+ YAML text, if at hand) into a LocTable in evscope's conventions. */
export async function readPicassoLocs(
  hdf5: Uint8Array,
  yamlText: string | null,
  options: ReadPicassoOptions = {},
): Promise<PicassoLocs> {
  const name = options.fileName ?? 'Picasso file';
  const yaml = yamlText === null ? [] : parsePicassoYaml(yamlText);
  const info = picassoInfo(yaml);
  const px = options.pixelSizeNm ?? info.pixelSizeNm;
  if (!(px && px > 0))
    throw new Error(`${name}: no pixel size (no "Pixelsize" in the YAML); give the camera pixel size in nm`);
  if (hdf5.length < 8 || hdf5[1] !== 0x48 || hdf5[2] !== 0x44 || hdf5[3] !== 0x46)
    throw new Error(`${name}: not an HDF5 file`);
  const raw = await withH5File(hdf5, (m, path) => {
    let f: InstanceType<H5['File']>;
    try {
      f = new m.File(path, 'r');
    } catch (e) {
      throw new Error(`${name}: HDF5 could not be opened (${(e as Error).message})`);
    }
    try {
      const ds = f.get('locs');
      if (!(ds instanceof m.Dataset))
        throw new Error(`${name}: no "/locs" dataset (not a Picasso localization file)`);
      const meta = ds.metadata;
      const members = meta.compound_type?.members;
      if (!members || meta.shape?.length !== 1)
        throw new Error(`${name}: "/locs" is not a one-dimensional compound table`);
      const rows = meta.shape[0];
      const nbytes = meta.size * rows;
      checkDeclaredRows(name, rows, nbytes, hdf5.length, ds.filters.length > 0);
      const M = m.Module;
      const ptr = M._malloc(Math.max(1, nbytes));
      if (!ptr) throw new Error(`${name}: ${nbytes} bytes of localizations do not fit in memory`);
      try {
        // A failed read (a damaged compressed chunk) leaves the buffer half-filled: never data.
        // The throwing handler turns HDF5's error stack (dozens of lines on stderr) into one error.
        let failed: boolean;
        M.activate_throwing_error_handler();
        try {
          failed = M.get_dataset_data(ds.file_id, ds.path, null, null, null, BigInt(ptr)) < 0;
        } catch {
          failed = true;
        } finally {
          M.deactivate_throwing_error_handler();
        }
        if (failed)
          throw new Error(
            `${name}: "/locs" could not be read${ds.filters.length ? ': its compressed chunks are damaged' : ''} (HDF5 read error)`,
          );
        return { rows, recordSize: meta.size, members, bytes: M.HEAPU8.slice(ptr, ptr + nbytes) };
      } finally {
        M._free(ptr);
      }
    } finally {
      f.close();
    }
  });
  const { rows, recordSize, members, bytes } = raw;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: Record<string, ColumnArray> = {};
  for (const mem of members) {
    const col = decodeMember(dv, rows, recordSize, mem);
    if (col) fields[mem.name] = col;
  }
  for (const need of ['frame', 'x', 'y'])
    if (!fields[need]) throw new Error(`${name}: "/locs" has no "${need}" field`);
  const columns: Record<string, ColumnArray> = {};
  const units: Record<string, string> = {};
  const frame = fields.frame;
  columns.frame = frame instanceof Uint32Array ? frame : Uint32Array.from(frame);
  for (const axis of ['x', 'y'] as const) {
    const src = fields[axis];
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) out[i] = (src[i] + 0.5) * px;
    columns[axis] = out;
    units[axis] = 'nm';
  }
  const mean = (a: string, b: string): Float32Array | null => {
    if (!fields[a] || !fields[b]) return null;
    const out = new Float32Array(rows);
    for (let i = 0; i < rows; i++) out[i] = ((fields[a][i] + fields[b][i]) / 2) * px;
    return out;
  };
  const sigma = mean('sx', 'sy');
  if (sigma) {
    columns.sigma = sigma;
    units.sigma = 'nm';
  }
  if (fields.photons) {
    columns.photons = fields.photons;
    units.photons = 'photon';
  }
  if (fields.bg) {
    columns.bg = fields.bg;
    units.bg = 'photon';
  }
  const precision = mean('lpx', 'lpy');
  if (precision) {
    columns.precision = precision;
    units.precision = 'nm';
  }
  for (const [k, c] of Object.entries(fields)) {
    if (k in columns) continue;
    if (PX_FIELDS.has(k)) {
      const out = new Float32Array(rows);
      for (let i = 0; i < rows; i++) out[i] = c[i] * px;
      columns[k] = out;
      units[k] = 'nm';
    } else {
      columns[k] = c;
      units[k] = k === 'z' ? 'nm' : '';
    }
  }
  const table = dropNonFinite({ length: rows, columns });
  return { table: table.table, units, info: { ...info, pixelSizeNm: px }, yaml, warnings: table.warnings };
}

/** Most bytes a filtered (compressed) /locs may inflate to per byte of file: Picasso writes none. */
const MAX_FILTER_RATIO = 32;
const MIN_FILTER_BUDGET = 64 << 20;

/**
 * HDF5 reads unwritten storage as fill values, so a 44 KB file can "hold" 50 M rows: the claim is
 * checked against what the file can back before anything is allocated.
 */
function checkDeclaredRows(name: string, rows: number, nbytes: number, fileBytes: number, filtered: boolean) {
  const budget = filtered ? Math.max(MIN_FILTER_BUDGET, MAX_FILTER_RATIO * fileBytes) : fileBytes;
  if (nbytes > budget)
    throw new Error(
      `${name}: "/locs" declares ${rows} rows (${nbytes} bytes), more than a ${fileBytes}-byte file can hold${filtered ? ' even compressed' : ''}: damaged or not a real localization file`,
    );
}

/** Rows whose frame, x or y is not finite cannot be placed anywhere: left out, and said so. */
function dropNonFinite(t: LocTable): { table: LocTable; warnings: string[] } {
  const { frame, x, y } = t.columns;
  const keep = new Uint8Array(t.length);
  let bad = 0;
  const lines: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const ok = Number.isFinite(x[i]) && Number.isFinite(y[i]) && Number.isFinite(frame[i]);
    keep[i] = ok ? 1 : 0;
    if (!ok && bad++ < 5) lines.push(i);
  }
  if (bad === 0) return { table: t, warnings: [] };
  return {
    table: selectRows(t, keep),
    warnings: [
      `${bad} ${bad === 1 ? 'row' : 'rows'} left out: x, y or frame is NaN or infinite (rows ${lines.join(', ')}${bad > lines.length ? ', …' : ''}, counted from 0)`,
    ],
  };
}

interface Member {
  name: string;
  offset: number;
  size: number;
  type: number;
  signed: boolean;
  littleEndian: boolean;
}

/** One compound field as a column; fields of other kinds (strings, arrays) are skipped. */
function decodeMember(dv: DataView, rows: number, rec: number, m: Member): ColumnArray | null {
  const le = m.littleEndian;
  const at = m.offset;
  if (m.name === '__proto__' || m.name === 'constructor' || m.name === 'prototype') return null;
  if (m.type === 1) {
    // H5T_FLOAT
    if (m.size === 4) {
      const out = new Float32Array(rows);
      for (let i = 0, o = at; i < rows; i++, o += rec) out[i] = dv.getFloat32(o, le);
      return out;
    }
    if (m.size === 8) {
      const out = new Float64Array(rows);
      for (let i = 0, o = at; i < rows; i++, o += rec) out[i] = dv.getFloat64(o, le);
      return out;
    }
    return null;
  }
  if (m.type !== 0) return null; // H5T_INTEGER only
  switch (m.size) {
    case 1: {
      const out = m.signed ? new Int32Array(rows) : new Uint8Array(rows);
      for (let i = 0, o = at; i < rows; i++, o += rec) out[i] = m.signed ? dv.getInt8(o) : dv.getUint8(o);
      return out;
    }
    case 2: {
      const out = m.signed ? new Int32Array(rows) : new Uint16Array(rows);
      for (let i = 0, o = at; i < rows; i++, o += rec)
        out[i] = m.signed ? dv.getInt16(o, le) : dv.getUint16(o, le);
      return out;
    }
    case 4: {
      const out = m.signed ? new Int32Array(rows) : new Uint32Array(rows);
      for (let i = 0, o = at; i < rows; i++, o += rec)
        out[i] = m.signed ? dv.getInt32(o, le) : dv.getUint32(o, le);
      return out;
    }
    case 8: {
      const out = new Float64Array(rows);
      for (let i = 0, o = at; i < rows; i++, o += rec)
        out[i] =
          dv.getUint32(o + (le ? 0 : 4), le) +
          dv[m.signed ? 'getInt32' : 'getUint32'](o + (le ? 4 : 0), le) * 2 ** 32;
      return out;
    }
  }
  return null;
}

export interface WritePicassoOptions {
  pixelSizeNm: number;
  /** Camera frame size in pixels, and frame count, for the YAML (Picasso Render needs them). */
  width: number;
  height: number;
  frames: number;
  /** "Generated by" in the YAML. */
  generator?: string;
}

/**
 * Writes a LocTable as Picasso HDF5 + YAML: `/locs` with Picasso Localize's fields (frame u4;
 * x, y, photons, sx, sy, bg, lpx, lpy f4) plus net_gradient/likelihood f4 and iterations i4
 * when present. sx/sy/lpx/lpy come from those columns (nm) if the table has them, else from
 * sigma and precision.
 */
export async function writePicassoLocs(
  t: LocTable,
  o: WritePicassoOptions,
): Promise<{ hdf5: Uint8Array; yaml: string }> {
  const px = o.pixelSizeNm;
  if (!(px > 0)) throw new Error(`pixel size must be > 0 nm, got ${px}`);
  for (const need of ['frame', 'x', 'y'])
    if (!t.columns[need]) throw new Error(`cannot write Picasso HDF5: the table has no "${need}" column`);
  const n = t.length;
  const c = t.columns;
  const f32 = (fn: (i: number) => number) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = fn(i);
    return out;
  };
  const nanIfMissing = (k: string) => (c[k] ? (i: number) => c[k][i] : () => Number.NaN);
  const pxOf = (k: string, fallback: string) =>
    c[k] ? (i: number) => c[k][i] / px : c[fallback] ? (i: number) => c[fallback][i] / px : () => Number.NaN;
  const data = new Map<string, Float32Array | Uint32Array | Int32Array>([
    ['frame', c.frame instanceof Uint32Array ? c.frame : Uint32Array.from(c.frame)],
    ['x', f32((i) => c.x[i] / px - 0.5)],
    ['y', f32((i) => c.y[i] / px - 0.5)],
    ['photons', f32(nanIfMissing('photons'))],
    ['sx', f32(pxOf('sx', 'sigma'))],
    ['sy', f32(pxOf('sy', 'sigma'))],
    ['bg', f32(nanIfMissing('bg'))],
    ['lpx', f32(pxOf('lpx', 'precision'))],
    ['lpy', f32(pxOf('lpy', 'precision'))],
  ]);
  const dtype: [string, string][] = [
    ['frame', '<I'],
    ...['x', 'y', 'photons', 'sx', 'sy', 'bg', 'lpx', 'lpy'].map((k): [string, string] => [k, '<f']),
  ];
  for (const k of ['net_gradient', 'likelihood']) {
    if (c[k]) {
      data.set(
        k,
        f32((i) => c[k][i]),
      );
      dtype.push([k, '<f']);
    }
  }
  if (c.iterations) {
    data.set('iterations', Int32Array.from(c.iterations));
    dtype.push(['iterations', '<i']);
  }
  const hdf5 = await withH5File(null, (m, path) => {
    const f = new m.File(path, 'w');
    try {
      f.create_dataset({ name: 'locs', data, shape: [n], dtype });
    } finally {
      f.close();
    }
    return m.Module.FS.readFile(path) as Uint8Array;
  });
  const yaml = writePicassoYaml([
    {
      'Byte Order': '<',
      'Data Type': 'uint16',
      Frames: o.frames,
      Height: o.height,
      Width: o.width,
      'Generated by': o.generator ?? 'evscope',
    },
    { 'Generated by': o.generator ?? 'evscope', Pixelsize: px },
  ]);
  return { hdf5: hdf5.slice(), yaml };
}
