// Shared by `evscope render`, `drift` and `merge`: reading a localization CSV and turning
// post-processing flags into pipeline steps (the same PostStep data the workbench records).
import { readFileSync } from 'node:fs';
import { writeDriftCsv } from '../core/io/driftCsv';
import { readThunderstormCsv } from '../core/io/thunderstormCsv';
import { describeQuality } from '../core/locs/driftQuality';
import { parseFilter } from '../core/locs/filterExpr';
import { MergeStepSchema, type PipelineResult, type PostStep, RccOptionsSchema } from '../core/locs/pipeline';
import type { LocTable } from '../core/locs/table';
import { parseOrThrow } from '../core/schema';
import { type ParsedArgs, schemaFlag } from './args';
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
  const force = a.flags.get('force') === true ? { force: true } : {};
  if (method === 'rcc' || method === 'auto') {
    // The drift step's own schema (the step editor's fields, session files): the same limits.
    const R = RccOptionsSchema.entries;
    const segments = schemaFlag(a, 'segments', R.segments);
    const pixelNm = schemaFlag(a, 'drift-px', R.pixelNm);
    const reach = schemaFlag(a, 'pair-reach', R.maxPairSeparation);
    return {
      kind: 'drift',
      method,
      ...force,
      options: {
        ...(segments !== undefined ? { segments } : {}),
        ...(pixelNm !== undefined ? { pixelNm } : {}),
        ...(reach !== undefined ? { maxPairSeparation: reach } : {}),
      },
    };
  }
  if (method === 'fiducial') return { kind: 'drift', method: 'fiducial', ...force, options: {} };
  throw new Error(`--drift/--method must be auto, rcc or fiducial, got "${method}"`);
}

/** Flags every verb with a drift step accepts (see DRIFT_HELP). */
export const DRIFT_FLAGS = { values: ['segments', 'drift-px', 'pair-reach'], booleans: ['force'] };

export const DRIFT_HELP = `  --segments N           RCC time segments (default 10)
  --drift-px NM          RCC render pixel, nm (default 20)
  --pair-reach N         correlate only segments at most N apart (default: all pairs, falling back
                         to 2 when all pairs are judged unreliable: live cells whose structures
                         come and go share structure only between nearby segments)
  --force                apply the drift estimate even when the quality check calls it unreliable`;

/**
 * Prints each drift estimate's quality to stderr, with a warning for one left unapplied.
 * Returns whether any estimate was unreliable and not applied.
 */
export function reportDrift(r: PipelineResult): boolean {
  let skipped = false;
  for (const e of r.driftEstimates) {
    if (e.trace.quality) console.error(describeQuality(e.trace.quality));
    if (e.applied && e.trace.quality?.reliable === false)
      console.error('warning: applied an UNRELIABLE drift estimate because --force was given');
    if (!e.applied) {
      skipped = true;
      console.error(
        'warning: the drift estimate is unreliable and was NOT applied (positions left uncorrected); pass --force to apply it anyway, or try --method fiducial / --pair-reach 2',
      );
    }
  }
  return skipped;
}

/** "RADIUS:GAPS", e.g. "50:1" → merge within 50 nm, bridging one dark frame. */
export function mergeStep(spec: string): PostStep {
  const m = /^([0-9.]+)(?::([0-9]+))?$/.exec(spec);
  const radiusNm = m ? Number(m[1]) : Number.NaN;
  if (!m || !(radiusNm > 0))
    throw new Error(`--merge must be RADIUS_NM[:DARK_FRAMES], e.g. 50:1, got "${spec}"`);
  const M = MergeStepSchema.entries;
  return {
    kind: 'merge',
    radiusNm: parseOrThrow(M.radiusNm, radiusNm, '--merge RADIUS'),
    maxGapFrames: parseOrThrow(M.maxGapFrames, m[2] === undefined ? 1 : Number(m[2]), '--merge DARK_FRAMES'),
  };
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
