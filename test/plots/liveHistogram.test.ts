// The live histogram canvas shows what the plotly figure of the same counts shows: a bar per
// non-empty bin, heights in proportion to the counts on a y axis from 0, the same titles.
import { expect, test } from 'vitest';
import { locTableFromColumns } from '../../src/core/locs/table';
import { Rng } from '../../src/core/random';
import { niceTicks, paintHistogram } from '../../src/plots/liveHistogram';
import {
  HISTOGRAM_MARGIN,
  histogramFigure,
  LOC_HISTOGRAMS,
  StreamingHistogram,
} from '../../src/plots/localize';

/** A 2D context that records rectangles filled in the bar colour and the texts written. */
function recorder() {
  const bars: { x: number; y: number; w: number; h: number }[] = [];
  const texts: string[] = [];
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    font: '',
    textAlign: '',
    textBaseline: '',
    fillRect(x: number, y: number, w: number, h: number) {
      if (this.fillStyle === '#0a5fc2') bars.push({ x, y, w, h });
    },
    fillText(t: string) {
      texts.push(t);
    },
    beginPath() {},
    moveTo() {},
    lineTo() {},
    stroke() {},
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, bars, texts };
}

test('nice ticks cover the range at a round step', () => {
  expect(niceTicks(0, 1000, 4)).toEqual([0, 250, 500, 750, 1000]);
  expect(niceTicks(103, 497, 4)).toEqual([200, 300, 400]);
  expect(niceTicks(0, 0.9, 3)).toEqual([0, 0.25, 0.5, 0.75]);
});

test('bars are the bins, in proportion to their counts, under the figure’s titles', () => {
  const rng = new Rng(5);
  const h = new StreamingHistogram('photons');
  h.update([
    locTableFromColumns({ photons: Float32Array.from({ length: 3000 }, () => 800 + 150 * rng.normal()) }),
  ]);
  const hist = h.hist!;
  const spec = LOC_HISTOGRAMS[0];
  const { ctx, bars, texts } = recorder();
  const W = 300;
  const H = 150;
  paintHistogram(ctx, W, H, hist, spec, 'light');
  const nonEmpty = [...hist.counts].filter((c) => c > 0).length;
  expect(bars.length).toBe(nonEmpty);
  const plotH = H - HISTOGRAM_MARGIN.t - HISTOGRAM_MARGIN.b;
  const max = Math.max(...hist.counts);
  const tallest = Math.max(...bars.map((b) => b.h));
  // The y axis ends at the first round tick at or above the largest count.
  const top = niceTicks(0, max, 3).at(-1)!;
  expect(tallest).toBeCloseTo((plotH * max) / Math.max(max, top), 6);
  // Bars stand on the x axis, left to right inside the plot area, and do not overlap.
  const bottom = HISTOGRAM_MARGIN.t + plotH;
  for (const b of bars) expect(b.y + b.h).toBeCloseTo(bottom, 6);
  expect(bars[0].x).toBeGreaterThanOrEqual(HISTOGRAM_MARGIN.l - 1e-9);
  expect(bars.at(-1)!.x + bars.at(-1)!.w).toBeLessThanOrEqual(W - HISTOGRAM_MARGIN.r + 1);
  for (let i = 1; i < bars.length; i++)
    expect(bars[i].x).toBeGreaterThanOrEqual(bars[i - 1].x + bars[i - 1].w - 1e-6);
  // The same title (with the median) and x-axis title as the plotly figure.
  const layout = histogramFigure(hist, spec, 'light').layout;
  expect(texts).toContain((layout.title as { text: string }).text);
  expect(texts).toContain((layout.xaxis as { title: { text: string } }).title.text);
  expect((layout.title as { text: string }).text).toMatch(/median (79\d|80\d)/);
});

test('before the first localizations only the titles are painted', () => {
  const { ctx, bars, texts } = recorder();
  paintHistogram(ctx, 300, 150, null, LOC_HISTOGRAMS[1], 'dark');
  expect(bars).toEqual([]);
  expect(texts).toEqual(['Precision', 'nm']);
});
