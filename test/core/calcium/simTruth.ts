// Matching an analysis to the calcium simulator's ground truth: each true cell is paired with the
// analysed cell covering most of its pixels, and the headline numbers of issue 16 are computed.
import type { CalciumResult } from '../../../src/core/calcium';
import { type CalciumTruth, presetParams, simulate } from '../../../src/core/sim';
import type { PresetName } from '../../../src/core/sim/params';

export function simulateCalcium(
  preset: PresetName,
  seed: number,
  edit?: (p: ReturnType<typeof presetParams>) => void,
) {
  const p = presetParams(preset);
  p.seed = seed;
  edit?.(p);
  const sim = simulate(p);
  if (!sim.truth.calcium) throw new Error('not a calcium simulation');
  return { sim, truth: sim.truth.calcium };
}

export interface TruthScore {
  cells: number;
  matched: number;
  correct: number;
  accuracy: number;
  falseResponders: number;
  nonResponders: number;
  latencyErrors: number[];
  peakRelErrors: number[];
}

export function scoreAgainstTruth(r: CalciumResult, t: CalciumTruth): TruthScore {
  const s: TruthScore = {
    cells: t.length,
    matched: 0,
    correct: 0,
    accuracy: 0,
    falseResponders: 0,
    nonResponders: 0,
    latencyErrors: [],
    peakRelErrors: [],
  };
  for (let c = 0; c < t.length; c++) {
    const votes = new Map<number, number>();
    for (let i = 0; i < t.labels.length; i++)
      if (t.labels[i] === c + 1 && r.labels[i]) votes.set(r.labels[i], (votes.get(r.labels[i]) ?? 0) + 1);
    const best = [...votes].sort((a, b) => b[1] - a[1])[0];
    const isResponder = t.responder[c] === 1;
    if (!isResponder) s.nonResponders++;
    if (!best || best[1] < 0.5 * t.areaPx[c]) continue;
    s.matched++;
    const row = r.cells[best[0] - 1];
    if (row.responder === isResponder) s.correct++;
    if (!isResponder && row.responder) s.falseResponders++;
    if (isResponder && row.responder) {
      s.latencyErrors.push(Math.abs(row.latencyFrames - t.latencyFrames[c]));
      s.peakRelErrors.push(Math.abs(row.peakDff - t.amplitude[c]) / t.amplitude[c]);
    }
  }
  s.accuracy = s.correct / s.cells;
  return s;
}

export function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : 0.5 * (s[h - 1] + s[h]);
}
