import { writeThunderstormCsv } from '../../core/io/thunderstormCsv';
import { applyPipeline, MergeStepSchema } from '../../core/locs/pipeline';
import { schemaFlag } from '../args';
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
    // The step editor's limits (the post-processing steps' schema).
    const m = MergeStepSchema.entries;
    const radiusNm = schemaFlag(a, 'radius', m.radiusNm, 'nm') ?? 50;
    const maxGapFrames = schemaFlag(a, 'gap', m.maxGapFrames, 'frames') ?? 1;
    const w = schemaFlag(a, 'weighting', m.weighting);
    const table = readLocs(a.positionals[0]);
    const r = applyPipeline(table, [
      { kind: 'merge', radiusNm, maxGapFrames, ...(w ? { weighting: w } : {}) },
    ]);
    await writeOutputSafely(out, writeThunderstormCsv(r.table));
    console.log(`${out}: ${table.length} localizations merged into ${r.table.length} molecules`);
    return 0;
  },
});
