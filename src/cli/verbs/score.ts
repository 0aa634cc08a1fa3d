import type { LocTable } from '../../core/locs/table';
import { selectRows } from '../../core/locs/table';
import { scoreLocalizations } from '../../core/score/metrics';
import { numberFlag } from '../args';
import { readCsvTable } from '../postArgs';
import { defineVerb } from '../verb';

const help = `usage: evscope score TRUTH.csv LOCS.csv [--tol 250] [--channel C] [--json]
Matches localizations to ground truth frame by frame (optimal one-to-one assignment within the
tolerance, nm) and prints the SMLM Challenge 2016 metrics: Jaccard, recall, precision, RMSE
(lateral, x, y), bias and efficiency. Both files are ThunderSTORM CSV (x, y in nm; frames 1-based).
  --tol NM      match tolerance, nm (default 250)
  --channel C   keep only ground-truth rows of channel C (files written by "evscope simulate")
  --json        print the metrics as JSON`;

function onlyChannel(t: LocTable, c: number, file: string): LocTable {
  const ch = t.columns.channel;
  if (!ch) throw new Error(`${file} has no "channel" column to select channel ${c} from`);
  const keep = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) keep[i] = ch[i] === c ? 1 : 0;
  return selectRows(t, keep);
}

export const verb = defineVerb({
  help,
  values: ['tol', 'channel'],
  booleans: ['json'],
  async run(a) {
    if (a.positionals.length !== 2) throw new Error('expected two files: TRUTH.csv LOCS.csv');
    const [truthFile, locsFile] = a.positionals;
    let truth = readCsvTable(truthFile);
    const locs = readCsvTable(locsFile);
    const channel = numberFlag(a, 'channel');
    if (channel !== undefined) truth = onlyChannel(truth, channel, truthFile);
    const r = scoreLocalizations(truth, locs, { toleranceNm: numberFlag(a, 'tol') ?? 250 });
    const { matches: _, ...metrics } = r;
    if (a.flags.has('json')) {
      console.log(JSON.stringify(metrics, null, 2));
      return 0;
    }
    const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
    console.log(
      [
        `truth ${r.truthCount}, localizations ${r.locCount}, tolerance ${r.toleranceNm} nm`,
        `TP ${r.tp}  FP ${r.fp}  FN ${r.fn}`,
        `Jaccard    ${f(100 * r.jaccard, 1)} %`,
        `recall     ${f(100 * r.recall, 1)} %`,
        `precision  ${f(100 * r.precision, 1)} %`,
        `RMSE       ${f(r.rmse)} nm (x ${f(r.rmseX)} nm, y ${f(r.rmseY)} nm)`,
        `bias       x ${f(r.biasX)} nm, y ${f(r.biasY)} nm`,
        `efficiency ${f(100 * r.efficiency, 1)} %`,
      ].join('\n'),
    );
    return 0;
  },
});
