// Localization tables from microscope vendors' software, as delimited text with a header row.
//
// - ONI Nanoimager CSV: "Channel,Frame,X (nm),Y (nm),Z (nm),Photons,Background". Positions in
//   nm are kept as they are (ONI's origin is the image corner); Frame is taken as 0-based (the
//   export counts frames as acquired from 0; Locan reads it unchanged too). Background is
//   photons per pixel → bg.
// - Zeiss ZEN Elyra text (tab-separated): "Index, First Frame, Number Frames, Frames Missing,
//   Position X [nm], Position Y [nm], Precision [nm], Number Photons, Background variance, Chi
//   square, PSF half width [nm], Channel, Z Slice", then a blank line and "key : value" metadata
//   (ignored). First Frame is 1-based (→ 0-based). "PSF half width" is kept under its own name,
//   not converted to sigma: ZEN's export does not say which width it is.
import type { ColumnArray, LocTable } from '../locs/table';
import { headerEcho, isPlainDecimal, MAX_CSV_COLUMNS, NAN_TEXT, RejectLog } from './csv';

interface Spec {
  /** header → [column, 'f64'|'f32'|'frame0'|'frame1'|'u32', unit] */
  map: Record<string, [string, 'f64' | 'f32' | 'frame0' | 'frame1' | 'u32', string]>;
  sep: RegExp;
}

function readDelimited(
  text: string,
  spec: Spec,
  name: string,
): { table: LocTable; units: Record<string, string>; warnings: string[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const first = lines[0];
  const fieldCount = first.split(spec.sep, MAX_CSV_COLUMNS + 1).length;
  if (fieldCount > MAX_CSV_COLUMNS)
    throw new Error(`${name}: line 1: more than ${MAX_CSV_COLUMNS} fields: not a localization table`);
  const header = first.split(spec.sep).map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  const cols = header.map((h) => spec.map[h]);
  for (const need of ['frame', 'x', 'y'])
    if (!cols.some((c) => c?.[0] === need))
      throw new Error(`${name}: no ${need} column (header: ${headerEcho(header)})`);
  const values: number[][] = header.map(() => []);
  const rejected = new RejectLog();
  const row: number[] = [];
  for (let li = 1; li < lines.length; li++) {
    const l = lines[li];
    // Elyra appends metadata after a blank line (which holds a NUL in ZEN's files).
    if (l.split('\0').join('').trim() === '') break;
    const parts = l.split(spec.sep);
    if (parts.length < header.length)
      throw new Error(`${name}: line ${li + 1}: ${parts.length} fields, the header has ${header.length}`);
    row.length = 0;
    let reject: string | undefined;
    for (let c = 0; c < header.length; c++) {
      if (!cols[c]) continue;
      const f = parts[c].trim();
      const v = Number(f);
      if (f === '' || (Number.isNaN(v) && !NAN_TEXT.test(f)))
        throw new Error(
          `${name}: line ${li + 1}: "${parts[c].slice(0, 40)}" in column "${header[c]}" is not a number`,
        );
      // NaN, Infinity, 1e400 or 0x10 place nothing: the row is left out and counted, not kept silently.
      if (!isPlainDecimal(f) || !Number.isFinite(v))
        reject ??= `left out: a value in "${header[c]}" that is not a finite decimal number (NaN, Infinity, 1e400, 0x10…)`;
      row.push(v);
    }
    if (reject) {
      rejected.add(reject, li + 1);
      continue;
    }
    let k = 0;
    for (let c = 0; c < header.length; c++) if (cols[c]) values[c].push(row[k++]);
  }
  const columns: Record<string, ColumnArray> = {};
  const units: Record<string, string> = {};
  let length = 0;
  cols.forEach((spec, c) => {
    if (!spec) return;
    const [key, type, unit] = spec;
    const v = values[c];
    length = v.length;
    if (type === 'frame0' || type === 'frame1' || type === 'u32') {
      const base = type === 'frame1' ? 1 : 0;
      if (v.some((x) => !Number.isInteger(x) || x < base))
        throw new Error(`${name}: column "${header[c]}" must hold integers ≥ ${base}`);
      columns[key] = Uint32Array.from(v, (x) => x - base);
    } else {
      columns[key] = type === 'f64' ? Float64Array.from(v) : Float32Array.from(v);
    }
    units[key] = unit;
  });
  return { table: { length, columns }, units, warnings: rejected.messages() };
}

export function readNanoimagerCsv(text: string, options: { fileName?: string } = {}) {
  return readDelimited(
    text,
    {
      sep: /,/,
      map: {
        Channel: ['channel', 'u32', ''],
        Frame: ['frame', 'frame0', ''],
        'X (nm)': ['x', 'f64', 'nm'],
        'Y (nm)': ['y', 'f64', 'nm'],
        'Z (nm)': ['z', 'f64', 'nm'],
        Photons: ['photons', 'f32', 'photon'],
        Background: ['bg', 'f32', 'photon'],
      },
    },
    options.fileName ?? 'Nanoimager CSV',
  );
}

export function readElyraText(text: string, options: { fileName?: string } = {}) {
  return readDelimited(
    text,
    {
      sep: /\t/,
      map: {
        'First Frame': ['frame', 'frame1', ''],
        'Number Frames': ['frames', 'u32', ''],
        'Frames Missing': ['frames_missing', 'u32', ''],
        'Position X [nm]': ['x', 'f64', 'nm'],
        'Position Y [nm]': ['y', 'f64', 'nm'],
        'Position Z [nm]': ['z', 'f64', 'nm'],
        'Precision [nm]': ['precision', 'f32', 'nm'],
        'Number Photons': ['photons', 'f32', 'photon'],
        'Background variance': ['bg_variance', 'f32', ''],
        'Chi square': ['chi2', 'f32', ''],
        'PSF half width [nm]': ['psf_half_width', 'f32', 'nm'],
        Channel: ['channel', 'u32', ''],
      },
    },
    options.fileName ?? 'Elyra text',
  );
}
