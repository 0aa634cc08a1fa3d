// Histograms of a localization run (photons, precision, σ, background) that grow while chunks
// stream in. Counts are exact over every localization, but the work per update is only the new
// chunks: bin edges are fixed from the first rows (a robust 0.5–99.5 % range rounded to a nice
// bin width) and re-derived — with a full re-binning — only when too many new values fall
// outside them. Plotly gets one bar per bin, never the raw points.
import type { Data } from 'plotly.js';
import type { LocTable } from '../core/locs/table';
import type { Figure } from './Plot';
import { baseLayout, type ThemeName } from './theme';

export interface HistogramSpec {
  column: string;
  title: string;
  unit: string;
}

export const LOC_HISTOGRAMS: HistogramSpec[] = [
  { column: 'photons', title: 'Photons', unit: 'photons' },
  { column: 'precision', title: 'Precision', unit: 'nm' },
  { column: 'sigma', title: 'PSF σ', unit: 'nm' },
  { column: 'bg', title: 'Background', unit: 'photons/px' },
];

export interface Histogram {
  /** Left edge of the first bin and the bin width. */
  lo: number;
  width: number;
  counts: Float64Array;
  /** Finite values below / above the bins. */
  below: number;
  above: number;
  /** Values counted (finite), and all values seen. */
  total: number;
}

/** The nearest "round" step (1, 2, 2.5, 5 × 10^k) to `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10) * p;
}

/** Bin edges for `values`: robust range, `bins` bins of a nice width. */
export function chooseBins(values: Float64Array, bins = 40): { lo: number; width: number; n: number } | null {
  const finite = values.filter(Number.isFinite).sort();
  if (finite.length === 0) return null;
  const q = (p: number) =>
    finite[Math.min(finite.length - 1, Math.max(0, Math.round(p * (finite.length - 1))))];
  let a = q(0.005);
  let b = q(0.995);
  if (!(b > a)) {
    a -= 0.5;
    b += 0.5;
  }
  const width = niceStep((b - a) / bins);
  const lo = Math.floor(a / width) * width;
  const n = Math.floor((b - lo) / width) + 1;
  return { lo, width, n };
}

function emptyHistogram(bins: { lo: number; width: number; n: number }): Histogram {
  return { lo: bins.lo, width: bins.width, counts: new Float64Array(bins.n), below: 0, above: 0, total: 0 };
}

/** At most `max` values of `column` across the chunks, evenly spread (for choosing bins). */
export function sampleColumn(chunks: readonly LocTable[], column: string, max = 20000): Float64Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const step = Math.max(1, Math.ceil(total / max));
  const out = new Float64Array(Math.ceil(total / step));
  let k = 0;
  let i = 0;
  for (const c of chunks) {
    const col = c.columns[column];
    for (let r = 0; r < c.length; r++, i++) if (i % step === 0 && col) out[k++] = col[r];
  }
  return out.subarray(0, k);
}

/** Keeps one column's histogram current as chunks arrive. */
export class StreamingHistogram {
  private chunksSeen = 0;
  private first: LocTable | null = null;
  hist: Histogram | null = null;

  constructor(
    readonly column: string,
    readonly bins = 40,
    /** Re-bin when more than this fraction of the counted values fall outside the edges. */
    readonly outsideLimit = 0.02,
  ) {}

  /** Folds in the chunks not seen yet; starts over if `chunks` is a different run. Returns true if anything changed. */
  update(chunks: readonly LocTable[]): boolean {
    if (chunks.length < this.chunksSeen || (chunks.length > 0 && chunks[0] !== this.first)) this.reset();
    if (chunks.length === this.chunksSeen) return false;
    this.first = chunks[0] ?? null;
    if (!this.hist) {
      const bins = chooseBins(sampleColumn(chunks, this.column), this.bins);
      if (!bins) {
        this.chunksSeen = chunks.length;
        return false;
      }
      this.hist = emptyHistogram(bins);
    }
    for (let c = this.chunksSeen; c < chunks.length; c++) this.add(chunks[c]);
    this.chunksSeen = chunks.length;
    const h = this.hist;
    if ((h.below + h.above) / Math.max(1, h.total) > this.outsideLimit) {
      this.hist = null;
      this.chunksSeen = 0;
      const bins = chooseBins(sampleColumn(chunks, this.column), this.bins)!;
      this.hist = emptyHistogram(bins);
      for (const c of chunks) this.add(c);
      this.chunksSeen = chunks.length;
    }
    return true;
  }

  reset(): void {
    this.hist = null;
    this.chunksSeen = 0;
    this.first = null;
  }

  private add(t: LocTable): void {
    const h = this.hist!;
    const col = t.columns[this.column];
    if (!col) return;
    const n = h.counts.length;
    for (let i = 0; i < t.length; i++) {
      const v = col[i];
      if (!Number.isFinite(v)) continue;
      h.total++;
      const b = Math.floor((v - h.lo) / h.width);
      if (b < 0) h.below++;
      else if (b >= n) h.above++;
      else h.counts[b]++;
    }
  }
}

/** Median of a histogram (bin-interpolated), NaN when empty. */
export function histogramMedian(h: Histogram): number {
  const inside = h.total - h.below - h.above;
  if (inside <= 0) return Number.NaN;
  let half = h.total / 2 - h.below;
  for (let b = 0; b < h.counts.length; b++) {
    if (half <= h.counts[b]) return h.lo + (b + (h.counts[b] > 0 ? half / h.counts[b] : 0)) * h.width;
    half -= h.counts[b];
  }
  return h.lo + h.counts.length * h.width;
}

/** Three significant digits without exponent notation: 1000, 5.65, 0.0123. */
export function formatValue(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v))));
  return v.toFixed(Math.min(digits, 6));
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** The histogram's title and x-axis title: the median and the values beyond the axis. */
export function histogramTitles(h: Histogram | null, spec: HistogramSpec): { title: string; xTitle: string } {
  const median = h ? histogramMedian(h) : Number.NaN;
  const outside = h ? h.below + h.above : 0;
  const med = Number.isFinite(median) ? ` · median ${formatValue(median)}` : '';
  const out = outside > 0 ? ` · ${formatCount(outside)} beyond the axis` : '';
  return { title: `${spec.title}${med}`, xTitle: `${spec.unit}${out}` };
}

export function histogramBarColor(theme: ThemeName): string {
  return theme === 'dark' ? '#5aa9ff' : '#0a5fc2';
}

/** The figure's margins (px), shared with the live canvas so the two line up. */
export const HISTOGRAM_MARGIN = { l: 42, r: 8, t: 22, b: 30 } as const;

export function histogramFigure(h: Histogram | null, spec: HistogramSpec, theme: ThemeName): Figure {
  const x: number[] = [];
  const y: number[] = [];
  if (h) {
    for (let b = 0; b < h.counts.length; b++) {
      x.push(h.lo + (b + 0.5) * h.width);
      y.push(h.counts[b]);
    }
  }
  const { title, xTitle } = histogramTitles(h, spec);
  const trace: Data = {
    type: 'bar',
    x,
    y,
    width: h ? h.width : undefined,
    marker: { color: histogramBarColor(theme), line: { width: 0 } },
    hovertemplate: `%{x} ${spec.unit}: %{y} localizations<extra></extra>`,
  };
  // Tick labels are not hidden where they pass the plot's edge (plotly's default): checking that
  // measures every label against every other, most of the cost of drawing these small plots.
  const ticks = { ticklabeloverflow: 'allow' as const };
  return {
    data: [trace],
    layout: baseLayout(theme, {
      title: { text: title, font: { size: 11 }, x: 0.02, xanchor: 'left' },
      margin: { ...HISTOGRAM_MARGIN },
      bargap: 0,
      xaxis: { title: { text: xTitle, standoff: 2, font: { size: 10 } }, ...ticks },
      yaxis: { title: { text: 'count', standoff: 2, font: { size: 10 } }, ...ticks },
      height: 150,
    }),
  };
}
