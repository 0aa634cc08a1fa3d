import { writeDriftCsv } from '../../core/io/driftCsv';
import { writeThunderstormCsv } from '../../core/io/thunderstormCsv';
import { applyPipeline } from '../../core/locs/pipeline';
import { stringFlag } from '../args';
import { DRIFT_FLAGS, DRIFT_HELP, driftStep, readLocs, reportDrift } from '../postArgs';
import { checkOutputs, writeOutputSafely } from '../safeOutput';
import { defineVerb } from '../verb';

/** Exit status when the estimate was judged unreliable and the table was written uncorrected. */
export const EXIT_UNRELIABLE = 3;

const help = `usage: evscope drift LOCS.csv --out CORRECTED.csv [--method auto|rcc|fiducial] [--trace TRACE.csv]
Estimates stage drift, checks how far the estimate can be trusted, and writes drift-corrected
localizations (ThunderSTORM CSV). The original positions are kept in the x_raw / y_raw columns.
The quality report (stderr) gives RCC's redundancy residual, the distinctness of the correlation
peaks and whether neighbouring segment pairs agree, or how well several fiducials agree.
An estimate judged unreliable is NOT applied: CORRECTED.csv then holds the uncorrected positions,
a warning is printed and the exit status is ${EXIT_UNRELIABLE} (--force applies it anyway, status 0).
  --method auto|rcc|fiducial  auto (default): fiducial beads when the data holds any (tracks in
                         ≥ 90% of frames), else redundant cross-correlation (RCC)
${DRIFT_HELP}
  --trace FILE           also write the drift estimate: frame (1-based), dx, dy in nm (written
                         even when not applied, for inspection)`;

export const verb = defineVerb({
  help,
  values: ['out', 'method', 'trace', ...DRIFT_FLAGS.values],
  booleans: DRIFT_FLAGS.booleans,
  async run(a) {
    if (a.positionals.length !== 1) throw new Error('expected one localization file: LOCS.csv');
    const out = a.flags.get('out');
    if (typeof out !== 'string') throw new Error('--out CORRECTED.csv is required');
    await checkOutputs([out, stringFlag(a, 'trace')], a.positionals);
    const method = a.flags.get('method');
    const table = readLocs(a.positionals[0]);
    const r = applyPipeline(table, [driftStep(typeof method === 'string' ? method : 'auto', a)]);
    const skipped = reportDrift(r);
    await writeOutputSafely(out, writeThunderstormCsv(r.table));
    const d = r.driftEstimates[0].trace;
    const trace = a.flags.get('trace');
    if (typeof trace === 'string') await writeOutputSafely(trace, writeDriftCsv(d));
    const n = d.dx.length;
    const at = `drift at the last frame x ${d.dx[n - 1].toFixed(1)} nm, y ${d.dy[n - 1].toFixed(1)} nm (${d.method})`;
    if (skipped) {
      console.log(
        `${out}: ${r.table.length} localizations written UNCORRECTED; estimated ${at}, not applied`,
      );
      return EXIT_UNRELIABLE;
    }
    console.log(`${out}: ${r.table.length} localizations corrected over ${n} frames; ${at}`);
    return 0;
  },
});
