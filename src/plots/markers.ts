// Figures of the EV-marker step, as pure builders: the ternary plot of marker composition, count
// histograms per channel, probe counts per subtype (box or violin) and one EV's traces with
// their fitted steps. Points carry the EV's row index as customdata, so a click selects the EV.
import type { Annotation, Data, Layout } from 'plotly.js';
import type { Figure } from './Plot';
import { baseLayout, CATEGORY_COLOURS, NEUTRAL_COLOUR, type ThemeName } from './theme';

/** Subtype colours by code: marker-negative grey, then the categorical colours. */
const SUBTYPE_COLOURS = [NEUTRAL_COLOUR, ...CATEGORY_COLOURS.slice(0, 7)];
const CHANNEL_COLOURS = CATEGORY_COLOURS;

export function subtypeColour(code: number): string {
  return code < 0 ? '#666c75' : SUBTYPE_COLOURS[code % SUBTYPE_COLOURS.length];
}

export function channelColour(index: number): string {
  return CHANNEL_COLOURS[index % CHANNEL_COLOURS.length];
}

export interface TernaryInput {
  /** Exactly three marker names, in the order of the ternary's a, b, c axes. */
  markerNames: string[];
  composition: Record<string, ArrayLike<number>>;
  subtype: ArrayLike<number>;
  subtypeNames: string[];
  ids: ArrayLike<number>;
  selected: number | null;
}

/**
 * Composition CD9 : CD63 : CD81 per EV, one trace per subtype. EVs without marker molecules have
 * no composition and are left out. Null when there are not exactly three markers.
 */
export function ternaryFigure(input: TernaryInput, theme: ThemeName): Figure | null {
  const { markerNames, composition, subtype, subtypeNames, ids, selected } = input;
  if (markerNames.length !== 3) return null;
  const [A, B, C] = markerNames.map((m) => composition[m]);
  const byCode = new Map<number, number[]>();
  for (let e = 0; e < subtype.length; e++) {
    if (!Number.isFinite(A[e])) continue;
    const code = subtype[e];
    const rows = byCode.get(code) ?? [];
    rows.push(e);
    byCode.set(code, rows);
  }
  const data: Data[] = [...byCode.keys()]
    .sort((a, b) => a - b)
    .map((code) => {
      const rows = byCode.get(code)!;
      return {
        type: 'scatterternary',
        mode: 'markers',
        name: code >= 0 ? subtypeNames[code] : 'unclassified',
        a: rows.map((e) => A[e]),
        b: rows.map((e) => B[e]),
        c: rows.map((e) => C[e]),
        customdata: rows,
        text: rows.map((e) => `EV ${ids[e]}`),
        hovertemplate: `%{text}<br>${markerNames[0]} %{a:.2f} · ${markerNames[1]} %{b:.2f} · ${markerNames[2]} %{c:.2f}<extra>%{fullData.name}</extra>`,
        marker: {
          color: subtypeColour(code),
          size: rows.map((e) => (e === selected ? 13 : 7)),
          opacity: 0.85,
          line: {
            width: rows.map((e) => (e === selected ? 2 : 0)),
            color: theme === 'dark' ? '#fff' : '#000',
          },
        },
      } as Data;
    });
  const axis = (title: string) => ({
    title: { text: title },
    min: 0,
    linewidth: 1,
    ticks: 'outside' as const,
    ticklen: 3,
    tickformat: '.1f',
  });
  const layout: Partial<Layout> = baseLayout(theme, {
    margin: { l: 36, r: 36, t: 30, b: 28 },
    showlegend: true,
    legend: { orientation: 'h', y: -0.05, font: { size: 10 } },
    ternary: {
      sum: 1,
      aaxis: axis(markerNames[0]),
      baxis: axis(markerNames[1]),
      caxis: axis(markerNames[2]),
      bgcolor: 'rgba(0,0,0,0)',
    },
  } as Partial<Layout>);
  return { data, layout };
}

export interface HistogramInput {
  /** Channel names and their counts per EV. */
  channels: { name: string; counts: ArrayLike<number> }[];
}

/** Integer-binned molecule counts, one grouped bar series per channel (NaN counts skipped). */
export function countHistogramFigure(
  input: HistogramInput,
  theme: ThemeName,
  xTitle = 'molecules per EV',
): Figure {
  let max = 0;
  for (const ch of input.channels)
    for (let e = 0; e < ch.counts.length; e++) {
      const v = ch.counts[e];
      if (Number.isFinite(v)) max = Math.max(max, Math.round(v));
    }
  const bins = Array.from({ length: max + 1 }, (_, k) => k);
  const data: Data[] = input.channels.map((ch, i) => {
    const n = new Array<number>(max + 1).fill(0);
    for (let e = 0; e < ch.counts.length; e++) {
      const v = ch.counts[e];
      if (Number.isFinite(v)) n[Math.max(0, Math.round(v))]++;
    }
    return {
      type: 'bar',
      name: ch.name,
      x: bins,
      y: n,
      marker: { color: channelColour(i) },
      hovertemplate: `${ch.name}: %{y} EVs with %{x} molecules<extra></extra>`,
    } as Data;
  });
  return {
    data,
    layout: baseLayout(theme, {
      barmode: 'group',
      bargap: 0.15,
      showlegend: true,
      legend: { orientation: 'h', y: 1.12, font: { size: 10 } },
      margin: { l: 44, r: 10, t: 26, b: 38 },
      xaxis: { title: { text: xTitle }, dtick: max > 20 ? 5 : 1 },
      yaxis: { title: { text: 'EVs' } },
    }),
  };
}

export interface ProbeInput {
  probe: ArrayLike<number>;
  subtype: ArrayLike<number>;
  subtypeNames: string[];
  probeName: string;
}

/** Probe molecules per EV by subtype, every EV drawn as a point (clickable) beside its box. */
export function probeBySubtypeFigure(input: ProbeInput, kind: 'box' | 'violin', theme: ThemeName): Figure {
  const data: Data[] = [];
  input.subtypeNames.forEach((name, code) => {
    const rows: number[] = [];
    for (let e = 0; e < input.subtype.length; e++)
      if (input.subtype[e] === code && Number.isFinite(input.probe[e])) rows.push(e);
    if (rows.length === 0) return;
    const common = {
      name,
      x: rows.map(() => name),
      y: rows.map((e) => input.probe[e]),
      customdata: rows,
      marker: { color: subtypeColour(code), size: 4 },
      hovertemplate: `${name}: %{y} ${input.probeName} molecules<extra></extra>`,
    };
    data.push(
      kind === 'box'
        ? ({ ...common, type: 'box', boxpoints: 'all', jitter: 0.4, pointpos: 0 } as Data)
        : ({
            ...common,
            type: 'violin',
            points: 'all',
            jitter: 0.4,
            pointpos: 0,
            box: { visible: true },
            meanline: { visible: true },
          } as Data),
    );
  });
  return {
    data,
    layout: baseLayout(theme, {
      margin: { l: 44, r: 10, t: 16, b: 60 },
      xaxis: { tickangle: -20 },
      yaxis: { title: { text: `${input.probeName} molecules per EV` }, rangemode: 'tozero' },
    }),
  };
}

export interface TraceChannel {
  name: string;
  trace: ArrayLike<number>;
  segFrom: ArrayLike<number>;
  segLength: ArrayLike<number>;
  segLevel: ArrayLike<number>;
  /** Single-dye intensity: the y axis is in molecules when it is known. */
  unit: number;
}

/**
 * One EV's background-corrected intensity per channel with the fitted step levels, one row per
 * channel sharing the frame axis; in molecules (intensity / unit) where the unit is known.
 */
export function evTraceFigure(
  channels: TraceChannel[],
  frameStart: number,
  theme: ThemeName,
  title = '',
): Figure {
  const n = channels.length;
  const gap = 0.04;
  const h = (1 - gap * (n - 1)) / Math.max(1, n);
  const data: Data[] = [];
  const layout: Record<string, unknown> = {};
  const annotations: Partial<Annotation>[] = [];
  channels.forEach((ch, i) => {
    const scale = ch.unit > 0 ? 1 / ch.unit : 1;
    const ax = i === 0 ? '' : String(i + 1);
    const frames = Array.from({ length: ch.trace.length }, (_, f) => frameStart + f + 1);
    data.push({
      type: 'scattergl',
      mode: 'lines',
      name: `${ch.name} trace`,
      x: frames,
      y: Array.from(ch.trace, (v) => v * scale),
      xaxis: `x${ax}`,
      yaxis: `y${ax}`,
      line: { color: channelColour(i), width: 1 },
      hovertemplate: `${ch.name} frame %{x}: %{y:.2f}<extra></extra>`,
    } as Data);
    const sx: number[] = [];
    const sy: number[] = [];
    for (let s = 0; s < ch.segFrom.length; s++) {
      const a = frameStart + ch.segFrom[s] + 0.5;
      const b = a + ch.segLength[s];
      sx.push(a, b);
      sy.push(ch.segLevel[s] * scale, ch.segLevel[s] * scale);
    }
    data.push({
      type: 'scattergl',
      mode: 'lines',
      name: `${ch.name} steps`,
      x: sx,
      y: sy,
      xaxis: `x${ax}`,
      yaxis: `y${ax}`,
      line: { color: theme === 'dark' ? '#ffffff' : '#111111', width: 1.5 },
      hovertemplate: `${ch.name} level %{y:.2f}<extra></extra>`,
    } as Data);
    const top = 1 - i * (h + gap);
    layout[`yaxis${ax}`] = {
      domain: [Math.max(0, top - h), top],
      title: { text: ch.unit > 0 ? 'mol.' : 'ADU', font: { size: 10 }, standoff: 2 },
      zeroline: true,
    };
    // The channel's name inside its row: axis titles that long would overlap in short rows.
    annotations.push({
      text: ch.name,
      xref: 'paper',
      yref: 'paper',
      x: 1,
      y: top,
      xanchor: 'right',
      yanchor: 'top',
      showarrow: false,
      font: { size: 10, color: channelColour(i) },
    });
    layout[`xaxis${ax}`] = {
      anchor: `y${ax}`,
      matches: i === 0 ? undefined : 'x',
      showticklabels: i === n - 1,
      title: i === n - 1 ? { text: 'frame' } : undefined,
    };
  });
  const base = baseLayout(theme, {
    margin: { l: 40, r: 8, t: title ? 24 : 8, b: 34 },
    title: title ? { text: title, font: { size: 12 }, x: 0.02 } : undefined,
  });
  // The theme's grid colours apply to every row.
  const grid = (base.xaxis as { gridcolor?: string }).gridcolor;
  for (const k of Object.keys(layout))
    layout[k] = { gridcolor: grid, zerolinecolor: grid, ...(layout[k] as object) };
  return { data, layout: { ...base, ...layout, annotations } as Partial<Layout> };
}
