// Shared by `evscope render`, `drift` and `merge`: reading a localization CSV and turning
// post-processing flags into pipeline steps (the same PostStep data the workbench records).
import { readFileSync } from 'node:fs';
import { writeDriftCsv } from '../core/io/driftCsv';
import { readThunderstormCsv } from '../core/io/thunderstormCsv';
import { parseFilter } from '../core/locs/filterExpr';
import type { PostStep } from '../core/locs/pipeline';
import type { LocTable } from '../core/locs/table';
import { numberFlag, type ParsedArgs } from './args';
import { writeOutputSafely } from './safeOutput';
import { warnOnStderr } from './terminalText';

/** A ThunderSTORM CSV; rows the reader left out are reported on stderr. */
export function readCsvTable(file: string): LocTable {
  const r = readThunderstormCsv(readFileSync(file, 'utf8'), { fileName: file });
  for (const w of r.warnings) warnOnStderr(`${file}: ${w}`);
  return r.table;
}

export function readLocs(file: string): LocTable {
  const table = readCsvTable(file);
  if (table.length === 0) throw new Error(`${file} holds no localizations`);
  return table;
}

export function driftStep(method: string, a: ParsedArgs): PostStep {
  if (method === 'rcc') {
    const segments = numberFlag(a, 'segments');
    const pixelNm = numberFlag(a, 'drift-px');
    return {
      kind: 'drift',
      method: 'rcc',
      options: {
        ...(segments !== undefined ? { segments } : {}),
        ...(pixelNm !== undefined ? { pixelNm } : {}),
      },
    };
  }
  if (method === 'fiducial') return { kind: 'drift', method: 'fiducial', options: {} };
  throw new Error(`--drift/--method must be rcc or fiducial, got "${method}"`);
}

/** "RADIUS:GAPS", e.g. "50:1" → merge within 50 nm, bridging one dark frame. */
export function mergeStep(spec: string): PostStep {
  const m = /^([0-9.]+)(?::([0-9]+))?$/.exec(spec);
  const radiusNm = m ? Number(m[1]) : Number.NaN;
  if (!m || !(radiusNm > 0))
    throw new Error(`--merge must be RADIUS_NM[:DARK_FRAMES], e.g. 50:1, got "${spec}"`);
  return { kind: 'merge', radiusNm, maxGapFrames: m[2] === undefined ? 1 : Number(m[2]) };
}

export function filterStep(expr: string, columns: string[]): PostStep {
  parseFilter(expr, columns); // names the bad position before any work
  return { kind: 'filter', expression: expr };
}

export async function writeTrace(
  file: string,
  trace: { dx: Float64Array; dy: Float64Array } | undefined,
): Promise<void> {
  if (!trace) throw new Error('no drift trace to write');
  await writeOutputSafely(file, writeDriftCsv(trace));
}
