// Figure builders of the Tracks & distances step: traces, units, titles and CSVs from a real
// colocalization result on analytic discs.
import { describe, expect, test } from 'vitest';
import { analyzeColocalization } from '../../src/core/coloc/analysis';
import { discProvider } from '../../src/core/coloc/analysisDiscs';
import { summarizeTracks } from '../../src/core/spt/summary';
import type { TrackTable } from '../../src/core/spt/types';
import {
  distanceHistogramFigure,
  durationFigure,
  formatP,
  fractionWithinFigure,
  histogramCsv,
  msdFigure,
  trackDistanceFigure,
  trackSummaryCsv,
  trackTableRows,
} from '../../src/plots/tracks';

// Track 1 sits at a disc's centre, track 2 walks away from it; 40 movie frames.
function fixture() {
  const n = 40;
  const track = new Uint32Array(2 * n);
  const frame = new Uint32Array(2 * n);
  const x = new Float64Array(2 * n);
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    track[i] = 1;
    frame[i] = i;
    x[i] = 1000 + (i % 3);
    y[i] = 1000;
    track[n + i] = 2;
    frame[n + i] = i;
    x[n + i] = 1000 + 20 * i;
    y[n + i] = 1000;
  }
  const positions = { length: 2 * n, columns: { track, frame, x, y } };
  const r = analyzeColocalization(
    positions,
    discProvider(() => [{ cx: 1000, cy: 1000, r: 150 }]),
    {
      movieFrames: n,
      frameInterval: 0.03,
      controlRegion: { kind: 'rect', x0: 0, y0: 0, x1: 4000, y1: 4000 },
    },
  );
  const tt: TrackTable = {
    length: 2 * n,
    columns: { track, frame, x, y, intensity: new Float64Array(2 * n).fill(1) },
  };
  return { r, tt, summary: summarizeTracks(tt, { frameInterval: 0.005 }) };
}

describe('tracks plots', () => {
  const { r, tt, summary } = fixture();
  test('histogram: control and EV bars in percent or counts, tests in the title', () => {
    const pct = distanceHistogramFigure(r, 'percent', 'dark');
    expect(pct.data.map((d) => d.name)).toEqual(['Control', 'EV']);
    const evPct = (pct.data[1] as { y: number[] }).y;
    const inRange = r.histogramTable.columns.evPercent.slice(1, -1);
    expect(evPct).toEqual(Array.from(inRange));
    const counts = distanceHistogramFigure(r, 'counts', 'dark');
    expect((counts.data[1] as { y: number[] }).y.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(
      r.distances.length,
    );
    expect(String((pct.layout.title as { text: string }).text)).toMatch(
      /^Per position, descriptive \(n \d+ EV, \d+ ctl\): KS p \S+ · χ² p \S+$/,
    );
    expect(String((pct.layout.yaxis as { title: { text: string } }).title.text)).toMatch(/%/);
  });
  test('distance over time follows the selected track; fractions and durations', () => {
    const f = trackDistanceFigure(r.distances, 2, 240, 0.03, 'light');
    const ys = (f.data[0] as { y: number[] }).y;
    expect(ys).toHaveLength(40);
    expect(ys[0]).toBeLessThan(0);
    expect(ys.at(-1)).toBeGreaterThan(240);
    expect(trackDistanceFigure(r.distances, null, 240, 0.03, 'dark').data[0]).toMatchObject({ x: [] });
    const w = fractionWithinFigure(r, 240, 1, 'dark');
    expect((w.data[0] as { y: number[] }).y[0]).toBe(100);
    expect((w.data[0] as { customdata: number[] }).customdata).toEqual([1, 2]);
    const d = durationFigure(r.runs, r.durationFit, 0.03, 'dark');
    const complete = (d.data[0] as { y: number[] }).y.reduce((a, b) => a + b, 0);
    const cens = (d.data[1] as { y: number[] }).y.reduce((a, b) => a + b, 0);
    expect(complete + cens).toBe(r.runs.length);
  });
  test('MSD figure, table rows and CSVs', () => {
    const m = msdFigure(tt, summary, 2, 0.005, 'dark');
    expect(m.data.length).toBeGreaterThanOrEqual(1);
    expect(String((m.layout.title as { text: string }).text)).toMatch(/Track 2/);
    expect(msdFigure(tt, summary, null, 0.005, 'dark').data).toEqual([]);
    const rows = trackTableRows(summary, r.perTrack);
    expect(rows.map((x) => x.id)).toEqual([1, 2]);
    expect(rows[0].fractionWithin).toBe(1);
    const csv = trackSummaryCsv(summary, r.perTrack).split('\n');
    expect(csv[0]).toMatch(/"track".*"D \[um\^2\/s\]".*"fractionWithin"/);
    expect(csv[1].split(',')[1]).toBe('1'); // first frame, 1-based
    expect(histogramCsv(r.histogramTable).split('\n')[1]).toMatch(/^-Infinity,-500,/);
    expect(formatP(0.01234)).toBe('0.012');
    expect(formatP(1e-9)).toBe('1.0e-9');
  });
});
