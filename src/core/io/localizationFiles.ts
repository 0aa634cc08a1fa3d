// One entry point for "a localization file, whatever wrote it": picks the reader from the name
// and the first bytes, and one for writing by extension. Used by the CLI's convert-locs and
// session pack, and by the app's import (same code, no Node APIs).
import type { LocTable } from '../locs/table';
import { openSessionFile, saveSessionFile } from '../session/file';
import { createSession, type SessionTable } from '../session/model';
import { probeHdf5, readDecodeLocs } from './decode';
import { readPicassoLocs, writePicassoLocs } from './picasso';
import { readRapidStorm } from './rapidStorm';
import { readThunderstormCsv, writeThunderstormCsv } from './thunderstormCsv';
import { readElyraText, readNanoimagerCsv } from './vendorCsv';

export type LocFormat =
  | 'thunderstorm-csv'
  | 'picasso-hdf5'
  | 'decode-h5'
  | 'smlm'
  | 'rapidstorm'
  | 'nanoimager-csv'
  | 'elyra-txt';

export interface LocFile {
  format: LocFormat;
  table: LocTable;
  units: Record<string, string>;
  /** Camera facts the file carried (Picasso YAML). */
  pixelSizeNm?: number;
  width?: number;
  height?: number;
  frames?: number;
  warnings: string[];
}

export interface ReadLocOptions {
  /** Picasso's YAML text (the file beside the .hdf5), if found. */
  sidecarText?: string | null;
  pixelSizeNm?: number;
}

const ascii = new TextDecoder('utf-8');

/**
 * Which reader a file needs, from its name and first bytes; null if none fits. Every HDF5 file
 * answers 'picasso-hdf5' here: only its groups tell Picasso from DECODE (readLocalizationFile).
 */
export function detectLocFormat(name: string, head: Uint8Array): LocFormat | null {
  if (head[0] === 0x89 && head[1] === 0x48 && head[2] === 0x44 && head[3] === 0x46) return 'picasso-hdf5';
  if (head[0] === 0x50 && head[1] === 0x4b) return 'smlm';
  const text = ascii.decode(head.subarray(0, 4096));
  if (text.startsWith('# <localizations')) return 'rapidstorm';
  const first = text.split(/\r?\n/)[0] ?? '';
  if (/^Channel,Frame,X \(nm\)/.test(first)) return 'nanoimager-csv';
  if (first.includes('First Frame') && first.includes('\t')) return 'elyra-txt';
  if (/\bframe\b/i.test(first) && /x/i.test(first)) return 'thunderstorm-csv';
  if (/\.csv$/i.test(name)) return 'thunderstorm-csv';
  return null;
}

/** Reads a localization file of any supported format. Throws with the file name and reason. */
export async function readLocalizationFile(
  name: string,
  bytes: Uint8Array,
  o: ReadLocOptions = {},
): Promise<LocFile> {
  const format = detectLocFormat(name, bytes.subarray(0, 4096));
  const text = () => ascii.decode(bytes);
  switch (format) {
    case 'decode-h5':
    case 'picasso-hdf5': {
      const probe = await probeHdf5(bytes);
      if (probe.flavour === 'decode') {
        const r = await readDecodeLocs(bytes, { fileName: name, pixelSizeNm: o.pixelSizeNm });
        return {
          format: 'decode-h5',
          table: r.table,
          units: r.units,
          ...(r.pixelSizeNm ? { pixelSizeNm: r.pixelSizeNm } : {}),
          warnings: r.warnings,
        };
      }
      if (probe.flavour === 'unreadable')
        throw new Error(`${name}: HDF5 could not be opened (${probe.reason})`);
      if (probe.flavour === 'unknown')
        throw new Error(
          `${name}: an HDF5 file, but not one of localizations evscope reads (Picasso: /locs; DECODE: /data/xyz); it holds ${probe.keys.map((k) => `/${k}`).join(', ') || 'nothing'}`,
        );
      const r = await readPicassoLocs(bytes, o.sidecarText ?? null, {
        fileName: name,
        pixelSizeNm: o.pixelSizeNm,
      });
      return { format, table: r.table, units: r.units, ...r.info, warnings: r.warnings };
    }
    case 'smlm': {
      const r = openSessionFile(bytes, { fileName: name });
      if (!r.ok) throw new Error(r.errors.join('\n'));
      const t =
        r.tables.find((x) => x.kind === 'localizations-post') ??
        r.tables.find((x) => x.kind === 'localizations');
      if (!t) throw new Error(`${name}: holds no localization table`);
      return { format, table: t, units: t.units, warnings: r.warnings };
    }
    case 'rapidstorm':
      return { format, ...readRapidStorm(text(), { fileName: name }), warnings: [] };
    case 'nanoimager-csv':
      return { format, ...readNanoimagerCsv(text(), { fileName: name }) };
    case 'elyra-txt':
      return { format, ...readElyraText(text(), { fileName: name }) };
    case 'thunderstorm-csv': {
      const r = readThunderstormCsv(text(), { fileName: name, pixelSizeNm: o.pixelSizeNm });
      return { format, table: r.table, units: r.units, warnings: r.warnings };
    }
    default:
      throw new Error(
        `${name}: not a localization file evscope reads (ThunderSTORM CSV, Picasso HDF5, DECODE HDF5, .smlm, rapidSTORM, Nanoimager CSV, Elyra text)`,
      );
  }
}

export interface WriteLocOptions {
  appVersion: string;
  pixelSizeNm?: number;
  width?: number;
  height?: number;
  frames?: number;
  title?: string;
}

/**
 * Writes a table in the format the output name asks for: .csv (ThunderSTORM), .hdf5/.h5
 * (Picasso; the YAML text is returned beside it), .smlm (a session holding the table).
 */
export async function writeLocalizationFile(
  outName: string,
  t: LocTable,
  units: Record<string, string>,
  o: WriteLocOptions,
): Promise<{ bytes: Uint8Array; sidecar?: { name: string; text: string } }> {
  if (/\.csv$/i.test(outName)) return { bytes: new TextEncoder().encode(writeThunderstormCsv(t, { units })) };
  if (/\.(hdf5|h5)$/i.test(outName)) {
    const missing = (['pixelSizeNm', 'width', 'height'] as const).filter((k) => !(o[k] && o[k] > 0));
    if (missing.length)
      throw new Error(
        `Picasso files need the camera's ${missing.join(', ')} (give --pixel-size, --width, --height)`,
      );
    let frames = o.frames ?? 0;
    if (!frames) for (let i = 0; i < t.length; i++) frames = Math.max(frames, t.columns.frame[i] + 1);
    const r = await writePicassoLocs(t, {
      pixelSizeNm: o.pixelSizeNm!,
      width: o.width!,
      height: o.height!,
      frames,
      generator: `evscope ${o.appVersion}`,
    });
    return { bytes: r.hdf5, sidecar: { name: outName.replace(/\.(hdf5|h5)$/i, '.yaml'), text: r.yaml } };
  }
  if (/\.smlm$/i.test(outName)) {
    const table: SessionTable = {
      id: 'locs',
      name: 'localizations',
      kind: 'localizations',
      length: t.length,
      columns: { ...t.columns },
      units,
    };
    return {
      bytes: saveSessionFile(createSession({ appVersion: o.appVersion, title: o.title ?? '' }), [table]),
    };
  }
  throw new Error(`${outName}: unknown output format (use .csv, .hdf5 or .smlm)`);
}
