import { writeThunderstormCsv } from '../../core/io/thunderstormCsv';
import { applyPipeline } from '../../core/locs/pipeline';
import { parseArgs, stringFlag } from '../args';
import { driftStep, readLocs, writeTrace } from '../postArgs';
import { checkOutputs, writeOutputSafely } from '../safeOutput';
import type { Verb } from '../verb';

const help = `usage: evscope drift LOCS.csv --out CORRECTED.csv [--method rcc|fiducial] [--trace TRACE.csv]
Estimates stage drift and writes drift-corrected localizations (ThunderSTORM CSV). The original
positions are kept in the x_raw / y_raw columns.
  --method rcc|fiducial  redundant cross-correlation (default) or fiducial beads (auto-detected:
                         tracks present in ≥ 90% of frames)
  --segments N           RCC time segments (default 10)
  --drift-px NM          RCC render pixel, nm (default 20)
  --trace FILE           also write the drift trace: frame (1-based), dx, dy in nm`;

export const verb: Verb = {
  help,
  async run(args) {
    const a = parseArgs(args, { values: ['out', 'method', 'trace', 'segments', 'drift-px'] });
    if (a.positionals.length !== 1) throw new Error('expected one localization file: LOCS.csv');
    const out = a.flags.get('out');
    if (typeof out !== 'string') throw new Error('--out CORRECTED.csv is required');
    await checkOutputs([out, stringFlag(a, 'trace')], a.positionals);
    const method = a.flags.get('method');
    const table = readLocs(a.positionals[0]);
    const r = applyPipeline(table, [driftStep(typeof method === 'string' ? method : 'rcc', a)]);
    await writeOutputSafely(out, writeThunderstormCsv(r.table));
    const trace = a.flags.get('trace');
    if (typeof trace === 'string') await writeTrace(trace, r.drift);
    const d = r.drift!;
    const n = d.dx.length;
    console.log(
      `${out}: ${r.table.length} localizations corrected over ${n} frames; drift at the last frame x ${d.dx[n - 1].toFixed(1)} nm, y ${d.dy[n - 1].toFixed(1)} nm`,
    );
    return 0;
  },
};
