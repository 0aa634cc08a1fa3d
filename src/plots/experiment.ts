// Figures of the Experiment step: per metric, one dot per cell in each condition (the unit the
// tests use), with the condition's mean ± 95 % CI over cells beside the dots — never bars over
// pooled positions. Cells carry their name as customdata.
import type { Data } from 'plotly.js';
import type { CellValue, Comparison, ConditionStats } from '../core/experiment/cellStats';
import { describeMetric } from '../core/experiment/summary';
import type { Figure } from './Plot';
import { baseLayout, type ThemeName } from './theme';

export const CONDITION_COLOURS = ['#4e9cf5', '#f0a43a', '#5fd08a', '#e76fb4', '#b48ef0', '#9aa5b4'];

/** Spread of the dots around the condition's position; fixed per cell so redraws do not jump. */
function jitter(cell: string): number {
  let h = 2166136261;
  for (let i = 0; i < cell.length; i++) h = Math.imul(h ^ cell.charCodeAt(i), 16777619) >>> 0;
  return ((h % 1000) / 1000 - 0.5) * 0.24;
}

export function metricTitle(metric: string): string {
  const m = describeMetric(metric);
  return m.unit ? `${m.label} (${m.unit})` : m.label;
}

/** Words in lines of at most `width` characters: Plotly crops a title wider than its plot. */
export function titleLines(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const w of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + w.length <= width) lines[last] += ` ${w}`;
    else lines.push(w);
  }
  return lines;
}

/** Dots of cells per condition, and each condition's mean with its 95 % CI over cells. */
export function cellDotFigure(
  metric: string,
  cells: readonly CellValue[],
  conditions: readonly ConditionStats[],
  theme: ThemeName,
  /** Characters per title line: the results panel is narrow (the centre view passes more). */
  titleWidth = 36,
): Figure {
  const title = titleLines(metricTitle(metric), titleWidth);
  const names = [...new Set([...conditions.map((c) => c.condition), ...cells.map((c) => c.condition)])];
  const pos = new Map(names.map((n, i) => [n, i]));
  const data: Data[] = names.map((name, i) => {
    const mine = cells.filter((c) => c.condition === name);
    return {
      type: 'scatter',
      mode: 'markers',
      name,
      x: mine.map((c) => i - 0.12 + jitter(c.cell)),
      y: mine.map((c) => c.value),
      customdata: mine.map((c) => c.cell),
      text: mine.map((c) => `${c.cell}: ${c.inputs} input${c.inputs === 1 ? '' : 's'}`),
      hovertemplate: '%{text}<br>%{y:.4g}<extra></extra>',
      marker: { size: 9, color: CONDITION_COLOURS[i % CONDITION_COLOURS.length], opacity: 0.85 },
    } as Data;
  });
  const cond = conditions.filter((c) => pos.has(c.condition) && Number.isFinite(c.mean));
  data.push({
    type: 'scatter',
    mode: 'markers',
    name: 'mean ± 95 % CI',
    x: cond.map((c) => pos.get(c.condition)! + 0.22),
    y: cond.map((c) => c.mean),
    text: cond.map(
      (c) =>
        `${c.condition}: mean ${c.mean.toPrecision(4)}` +
        (Number.isFinite(c.ciLow)
          ? ` [${c.ciLow.toPrecision(4)}, ${c.ciHigh.toPrecision(4)}]`
          : ' (CI needs ≥ 2 cells)') +
        `, ${c.nCells} cells, ${c.nInputs} inputs`,
    ),
    hovertemplate: '%{text}<extra></extra>',
    marker: {
      symbol: 'line-ew-open',
      size: 18,
      color: theme === 'dark' ? '#e8ecf1' : '#1d2329',
      line: { width: 2 },
    },
    error_y: {
      type: 'data',
      symmetric: false,
      array: cond.map((c) => (Number.isFinite(c.ciHigh) ? c.ciHigh - c.mean : 0)),
      arrayminus: cond.map((c) => (Number.isFinite(c.ciLow) ? c.mean - c.ciLow : 0)),
      width: 6,
      thickness: 1.5,
      color: theme === 'dark' ? '#e8ecf1' : '#1d2329',
    },
  } as Data);
  return {
    data,
    layout: baseLayout(theme, {
      title: { text: title.join('<br>'), font: { size: 12 } },
      xaxis: {
        tickmode: 'array',
        tickvals: names.map((_, i) => i),
        ticktext: names.map((n) => {
          const c = conditions.find((x) => x.condition === n);
          return c ? `${n} (${c.nCells} cell${c.nCells === 1 ? '' : 's'})` : n;
        }),
        range: [-0.6, names.length - 0.4],
      },
      yaxis: { title: { text: describeMetric(metric).unit } },
      margin: { l: 56, r: 12, t: 18 + 14 * title.length, b: 44 },
    }),
  };
}

export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return '—';
  return p < 1e-4 ? p.toExponential(1) : p.toPrecision(2);
}

export function formatEffect(c: Comparison): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : '—');
  return `${f(c.difference)} [${f(c.differenceLow)}, ${f(c.differenceHigh)}]`;
}
