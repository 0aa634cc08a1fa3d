// DECODE (Speiser et al., Nat. Methods 2021) emitter sets saved as HDF5 (`EmitterSet.save(…h5)`):
// `/data` holds one dataset per attribute (xyz N×3, phot, bg, frame_ix, prob, id, xyz_sig,
// xyz_cr, …; attributes DECODE did not fill have no shape), `/meta` holds xy_unit ('px' or 'nm')
// and px_size ([x, y] nm per pixel), `/decode` its version. No sidecar file is needed.
//
// Conventions: DECODE's pixel coordinates put pixel centres at integers (its frame extent is
// −0.5…W−0.5, as in Picasso), and its nm are those pixels × px_size, so evscope's nm from the
// first pixel's corner are x_nm = (x_px + 0.5) × px_size_x. z and z_sig are nm; x/y_sig and
// x/y_cr are in xy_unit. frame_ix is 0-based, as in evscope.
import type { ColumnArray, LocTable } from '../locs/table';
import { type loadH5wasm, withH5File } from './picasso';

type H5 = Awaited<ReturnType<typeof loadH5wasm>>;

/** What an HDF5 localization file is, from its top-level groups; 'unreadable' if HDF5 refuses it. */
export type Hdf5Flavour = 'picasso' | 'decode' | 'unknown' | 'unreadable';

export interface Hdf5Probe {
  flavour: Hdf5Flavour;
  /** Top-level names, to say what an unknown file holds. */
  keys: string[];
  /** Why HDF5 could not open it. */
  reason?: string;
}

/** Looks inside an HDF5 file: Picasso has `/locs`, DECODE `/data` with `xyz` (and `/meta`). */
export async function probeHdf5(bytes: Uint8Array): Promise<Hdf5Probe> {
  return withH5File(bytes, (m, path): Hdf5Probe => {
    // h5wasm opens a damaged file "successfully" and fails on the first read: both are caught.
    let f: InstanceType<H5['File']> | null = null;
    try {
      f = new m.File(path, 'r');
      const keys = f.keys();
      const data = keys.includes('data') ? f.get('data') : null;
      if (keys.includes('locs')) return { flavour: 'picasso', keys };
      if (data instanceof m.Group && data.keys().includes('xyz')) return { flavour: 'decode', keys };
      return { flavour: 'unknown', keys };
    } catch (e) {
      return { flavour: 'unreadable', keys: [], reason: e instanceof Error ? e.message : String(e) };
    } finally {
      try {
        f?.close();
      } catch {
        // never opened
      }
    }
  });
}

export interface DecodeLocs {
  table: LocTable;
  units: Record<string, string>;
  /** nm per pixel along x (DECODE's px_size[0]), when the file gives it. */
  pixelSizeNm?: number;
  version?: string;
  warnings: string[];
}

export interface ReadDecodeOptions {
  fileName?: string;
  /** Pixel size (nm) when the file has none and its coordinates are in pixels. */
  pixelSizeNm?: number;
}

interface RawDecode {
  rows: number;
  xyz: ArrayLike<number>;
  dims: number;
  columns: Map<string, { values: ArrayLike<number | bigint>; width: number }>;
  xyUnit: string;
  pxSize: number[] | null;
  version?: string;
}

const numbers = (v: unknown): number[] | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'bigint') return [Number(v)];
  if (ArrayBuffer.isView(v) || Array.isArray(v)) return Array.from(v as ArrayLike<number>, Number);
  return null;
};

function readRaw(m: H5, path: string, name: string): RawDecode {
  const f = new m.File(path, 'r');
  try {
    const data = f.get('data');
    if (!(data instanceof m.Group)) throw new Error(`${name}: no "/data" group (not a DECODE emitter set)`);
    const columns = new Map<string, { values: ArrayLike<number | bigint>; width: number }>();
    for (const key of data.keys()) {
      const ds = data.get(key);
      if (!(ds instanceof m.Dataset) || !ds.shape || ds.shape.length === 0) continue;
      const v = ds.value;
      if (!ArrayBuffer.isView(v)) continue;
      columns.set(key, { values: v as unknown as ArrayLike<number>, width: ds.shape[1] ?? 1 });
    }
    const xyz = columns.get('xyz');
    if (!xyz) throw new Error(`${name}: "/data/xyz" is empty: the emitter set holds no localizations`);
    const rows = xyz.values.length / xyz.width;
    const meta = f.get('meta');
    const attrs = meta instanceof m.Group ? meta.attrs : {};
    const unit = attrs.xy_unit?.value;
    const dg = f.get('decode');
    const version = dg instanceof m.Group ? dg.attrs.version?.value : undefined;
    return {
      rows,
      xyz: Array.from(xyz.values, Number),
      dims: xyz.width,
      columns,
      xyUnit: typeof unit === 'string' ? unit : 'px',
      pxSize: numbers(attrs.px_size?.value),
      version: typeof version === 'string' ? version : undefined,
    };
  } finally {
    f.close();
  }
}

/** Reads a DECODE emitter-set HDF5 into a LocTable in evscope's conventions. */
export async function readDecodeLocs(bytes: Uint8Array, o: ReadDecodeOptions = {}): Promise<DecodeLocs> {
  const name = o.fileName ?? 'DECODE file';
  const raw = await withH5File(bytes, (m, path) => readRaw(m, path, name));
  const { rows, dims } = raw;
  if (dims < 2 || !Number.isInteger(rows)) throw new Error(`${name}: "/data/xyz" is not an N×2 or N×3 table`);
  const px = raw.pxSize && raw.pxSize.length >= 1 ? raw.pxSize : o.pixelSizeNm ? [o.pixelSizeNm] : null;
  const [pxX, pxY] = px ? [px[0], px[1] ?? px[0]] : [Number.NaN, Number.NaN];
  const inPx = raw.xyUnit === 'px';
  if (raw.xyUnit !== 'px' && raw.xyUnit !== 'nm')
    throw new Error(`${name}: unknown xy_unit "${raw.xyUnit}" in /meta (DECODE writes "px" or "nm")`);
  if (!(pxX > 0 && pxY > 0) && inPx)
    throw new Error(
      `${name}: coordinates are in pixels but /meta has no px_size; give the camera pixel size in nm`,
    );
  const warnings: string[] = [];
  if (!inPx && !(pxX > 0))
    warnings.push(`${name}: no px_size: nm positions are taken as given (centre of pixel 0 at 0)`);
  // nm from the corner of the first pixel, whichever unit DECODE stored.
  const toNm = (v: number, p: number) => (inPx ? (v + 0.5) * p : p > 0 ? v + 0.5 * p : v);
  const xyScale = (p: number) => (inPx ? p : 1);
  const columns: Record<string, ColumnArray> = {};
  const units: Record<string, string> = {};
  const col = (key: string, i: number) => raw.columns.get(key)?.values[i];

  const frame = raw.columns.get('frame_ix');
  columns.frame = frame ? Uint32Array.from(frame.values, (v) => Number(v)) : new Uint32Array(rows);
  if (!frame) warnings.push(`${name}: no frame_ix: every localization is put in frame 0`);
  const x = new Float64Array(rows);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    x[i] = toNm(raw.xyz[i * dims], pxX);
    y[i] = toNm(raw.xyz[i * dims + 1], pxY);
  }
  Object.assign(columns, { x, y });
  Object.assign(units, { x: 'nm', y: 'nm' });
  if (dims > 2) {
    columns.z = Float32Array.from({ length: rows }, (_, i) => raw.xyz[i * dims + 2]);
    units.z = 'nm';
  }
  const sig = raw.columns.get('xyz_sig');
  if (sig && sig.width >= 2) {
    // Localization precision: the mean of the x and y standard deviations, like Picasso's lpx/lpy.
    const s = (i: number, k: number) => Number(sig.values[i * sig.width + k]);
    columns.precision = Float32Array.from(
      { length: rows },
      (_, i) => (s(i, 0) * xyScale(pxX) + s(i, 1) * xyScale(pxY)) / 2,
    );
    units.precision = 'nm';
  }
  const named: [string, string, string][] = [
    ['phot', 'photons', 'photon'],
    ['bg', 'bg', 'photon'],
    ['prob', 'prob', ''],
    ['phot_sig', 'photons_sig', 'photon'],
    ['bg_sig', 'bg_sig', 'photon'],
  ];
  for (const [key, as, unit] of named) {
    const c = raw.columns.get(key);
    if (c?.width !== 1) continue;
    columns[as] = Float32Array.from({ length: rows }, (_, i) => Number(col(key, i)));
    units[as] = unit;
  }
  const id = raw.columns.get('id');
  if (id && Array.from(id.values, Number).some((v) => v >= 0)) {
    columns.id = Int32Array.from(id.values, Number);
    units.id = '';
  }
  return {
    table: { length: rows, columns },
    units,
    ...(pxX > 0 ? { pixelSizeNm: pxX } : {}),
    ...(raw.version ? { version: raw.version } : {}),
    warnings,
  };
}
