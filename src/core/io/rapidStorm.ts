// rapidSTORM localization text: a "# <localizations …>" XML header naming each column (field
// identifier, semantic, unit), then whitespace-separated numbers, one localization per line.
//
// Conventions: positions "Position-0-0"/"Position-1-0" in nanometer (or metre/micrometer, scaled)
// are taken as evscope's x, y unchanged — rapidSTORM measures from the image corner in sample
// space, as ThunderSTORM does (not verified against a shared movie here: the Locan sample's
// frames overlap too little). ImageNumber is 0-based (Locan's sample starts at 0), as evscope's
// frame. PSFWidth is a FWHM: sigma = FWHM / 2.3548 (mean of x and y). Amplitude and
// LocalBackground are A/D counts, not photons: kept as "amplitude" and "bg_adu".
import type { ColumnArray, LocTable } from '../locs/table';

const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

const NAMES: Record<string, string> = {
  'Position-0-0': 'x',
  'Position-1-0': 'y',
  'Position-2-0': 'z',
  'ImageNumber-0-0': 'frame',
  'Amplitude-0-0': 'amplitude',
  'FitResidues-0-0': 'chi2',
  'LocalBackground-0-0': 'bg_adu',
  'PSFWidth-0-0': 'fwhm_x',
  'PSFWidth-1-0': 'fwhm_y',
};

const LENGTH_UNITS: Record<string, number> = { nanometer: 1, micrometer: 1000, meter: 1e9, metre: 1e9 };

export function readRapidStorm(
  text: string,
  options: { fileName?: string } = {},
): { table: LocTable; units: Record<string, string> } {
  const name = options.fileName ?? 'rapidSTORM file';
  const lines = text.split(/\r\n|\r|\n/);
  const header = lines[0] ?? '';
  if (!header.startsWith('# <localizations'))
    throw new Error(`${name}: not a rapidSTORM localization file (no "# <localizations" header)`);
  const fields = [...header.matchAll(/<field\s([^>]*?)\/?>/g)].map((m) => {
    const attr = (a: string) => new RegExp(`${a}="([^"]*)"`).exec(m[1])?.[1] ?? '';
    return { id: attr('identifier'), unit: attr('unit') };
  });
  if (fields.length === 0) throw new Error(`${name}: the header lists no fields`);
  const keys = fields.map(
    (f, c) => NAMES[f.id] ?? (f.id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60) || `column${c}`),
  );
  const scale = fields.map((f, c) => {
    const k = keys[c];
    if (k !== 'x' && k !== 'y' && k !== 'z' && !k.startsWith('fwhm')) return 1;
    const s = LENGTH_UNITS[f.unit];
    if (s === undefined) throw new Error(`${name}: ${f.id} is in "${f.unit}"; expected nanometer`);
    return s;
  });
  for (const need of ['x', 'y', 'frame'])
    if (!keys.includes(need)) throw new Error(`${name}: no ${need} field in the header`);
  const values: number[][] = fields.map(() => []);
  for (let li = 1; li < lines.length; li++) {
    const l = lines[li].trim();
    if (l === '' || l.startsWith('#')) continue;
    const parts = l.split(/\s+/);
    if (parts.length !== fields.length)
      throw new Error(
        `${name}: line ${li + 1}: ${parts.length} values, the header lists ${fields.length} fields`,
      );
    parts.forEach((p, c) => {
      const v = Number(p);
      if (!Number.isFinite(v)) throw new Error(`${name}: line ${li + 1}: "${p}" is not a number`);
      values[c].push(v * scale[c]);
    });
  }
  const n = values[0].length;
  const columns: Record<string, ColumnArray> = {};
  const units: Record<string, string> = {};
  keys.forEach((k, c) => {
    if (k === 'frame') {
      if (values[c].some((v) => !Number.isInteger(v) || v < 0))
        throw new Error(`${name}: ImageNumber must hold non-negative integers`);
      columns.frame = Uint32Array.from(values[c]);
    } else {
      columns[k] =
        k === 'x' || k === 'y' || k === 'z' ? Float64Array.from(values[c]) : Float32Array.from(values[c]);
      units[k] =
        k === 'x' || k === 'y' || k === 'z' || k.startsWith('fwhm')
          ? 'nm'
          : k.endsWith('adu') || k === 'amplitude'
            ? 'ADU'
            : '';
    }
  });
  if (columns.fwhm_x) {
    const fy = columns.fwhm_y ?? columns.fwhm_x;
    columns.sigma = Float32Array.from(columns.fwhm_x, (v, i) => (v + fy[i]) / 2 / FWHM_PER_SIGMA);
    units.sigma = 'nm';
  }
  return { table: { length: n, columns }, units };
}
