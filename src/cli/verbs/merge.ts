import { writeThunderstormCsv } from '../../core/io/thunderstormCsv';
import { applyPipeline } from '../../core/locs/pipeline';
import { numberFlag } from '../args';
import { readLocs } from '../postArgs';
import { checkOutputs, writeOutputSafely } from '../safeOutput';
import { defineVerb } from '../verb';

const help = `usage: evscope merge LOCS.csv --radius 50 --gap 1 --out MERGED.csv [--weighting precision|photons|equal]
Merges one molecule's localizations in consecutive frames into one (ThunderSTORM CSV out), with
n_merged, frame_last (last frame of the molecule, 1-based like frame), summed photons and the
combined precision.
  --radius NM      largest distance between blinks of one molecule (default 50)
  --gap FRAMES     dark frames allowed between blinks (default 1)
  --weighting W    position average: precision (1/σ², default when present), photons, equal`;

export const verb = defineVerb({
  help,
  values: ['out', 'radius', 'gap', 'weighting'],
  async run(a) {
    if (a.positionals.length !== 1) throw new Error('expected one localization file: LOCS.csv');
    const out = a.flags.get('out');
    if (typeof out !== 'string') throw new Error('--out MERGED.csv is required');
    await checkOutputs([out], a.positionals);
    const radiusNm = numberFlag(a, 'radius') ?? 50;
    const maxGapFrames = numberFlag(a, 'gap') ?? 1;
    if (!(radiusNm > 0)) throw new Error(`--radius must be > 0 nm, got ${radiusNm}`);
    if (!(Number.isInteger(maxGapFrames) && maxGapFrames >= 0))
      throw new Error(`--gap must be a whole number ≥ 0, got ${maxGapFrames}`);
    const w = a.flags.get('weighting');
    if (w !== undefined && w !== 'precision' && w !== 'photons' && w !== 'equal')
      throw new Error('--weighting must be precision, photons or equal');
    const table = readLocs(a.positionals[0]);
    const r = applyPipeline(table, [
      { kind: 'merge', radiusNm, maxGapFrames, ...(typeof w === 'string' ? { weighting: w } : {}) },
    ]);
    await writeOutputSafely(out, writeThunderstormCsv(r.table));
    console.log(`${out}: ${table.length} localizations merged into ${r.table.length} molecules`);
    return 0;
  },
});
