// The localization histograms while a run streams, painted on a canvas: plotly redraws its axes
// and measures every tick label on each update (tens of ms per plot, on the main thread that
// hands the run's workers their chunks), a canvas paints 40 bars in well under a millisecond.
// Same margins, colours, titles and bins as the plotly figure the finished run gets.
import {
  HISTOGRAM_MARGIN,
  type Histogram,
  type HistogramSpec,
  histogramBarColor,
  histogramTitles,
  niceStep,
} from './localize';
import { type ThemeName, themeColors } from './theme';

/** Tick values across [lo, hi]: about `target` of them, at a round step. */
export function niceTicks(lo: number, hi: number, target = 4): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep((hi - lo) / target);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function tickText(v: number, step: number): string {
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(digits, 6));
}

/** Paints `h` (or an empty frame before the first localizations) on `ctx`, `w` × `h` CSS px. */
export function paintHistogram(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  hist: Histogram | null,
  spec: HistogramSpec,
  theme: ThemeName,
): void {
  const c = themeColors(theme);
  const m = HISTOGRAM_MARGIN;
  const pw = Math.max(1, width - m.l - m.r);
  const ph = Math.max(1, height - m.t - m.b);
  ctx.fillStyle = c.bg;
  ctx.fillRect(0, 0, width, height);
  const { title, xTitle } = histogramTitles(hist, spec);
  ctx.fillStyle = c.text;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillText(title, 0.02 * width, m.t / 2);
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(xTitle, m.l + pw / 2, height - 7);
  if (!hist) return;
  const n = hist.counts.length;
  let max = 0;
  for (let b = 0; b < n; b++) if (hist.counts[b] > max) max = hist.counts[b];
  const yTicks = niceTicks(0, Math.max(1, max), 3);
  const yTop = Math.max(1, max, yTicks[yTicks.length - 1]);
  const lo = hist.lo;
  const hi = hist.lo + n * hist.width;
  const px = (v: number) => m.l + ((v - lo) / (hi - lo)) * pw;
  const py = (v: number) => m.t + ph - (v / yTop) * ph;
  ctx.strokeStyle = c.grid;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  for (const t of yTicks) {
    const y = Math.round(py(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(m.l, y);
    ctx.lineTo(m.l + pw, y);
    ctx.stroke();
    ctx.fillText(t >= 10_000 ? `${t / 1000}k` : String(t), m.l - 4, y);
  }
  ctx.fillStyle = histogramBarColor(theme);
  for (let b = 0; b < n; b++) {
    if (hist.counts[b] <= 0) continue;
    const x0 = px(lo + b * hist.width);
    const x1 = px(lo + (b + 1) * hist.width);
    const y = py(hist.counts[b]);
    ctx.fillRect(x0, y, Math.max(1, x1 - x0), m.t + ph - y);
  }
  ctx.fillStyle = c.text;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const xTicks = niceTicks(lo, hi, 4);
  const step = xTicks.length > 1 ? xTicks[1] - xTicks[0] : hist.width;
  for (const t of xTicks) ctx.fillText(tickText(t, step), px(t), m.t + ph + 3);
}
