// Plotly's WebGL traces draw nothing without WebGL (headless browsers, VMs, remote desktops,
// GPU-blocklisted laptops) and put "WebGL is not supported by your browser" over the page.
// Every figure passes through here once, so each gl trace has its SVG twin when WebGL is absent.
import type { Data } from 'plotly.js';
import type { Figure } from './Plot';

/**
 * WebGL trace type → the SVG trace type that draws the same data with the same attributes; only
 * twins the custom bundle (./plotly.ts) registers (heatmapgl is plotly 1–2's, kept for old figures).
 */
export const SVG_TWIN: Readonly<Record<string, string>> = {
  scattergl: 'scatter',
  heatmapgl: 'heatmap',
};

/** The figure with every WebGL trace swapped for its SVG twin; the same object when there is none. */
export function withSvgTraces(figure: Figure): Figure {
  const gl = (t: Data) => typeof t.type === 'string' && t.type in SVG_TWIN;
  if (!figure.data.some(gl)) return figure;
  const data = figure.data.map((t) => (gl(t) ? ({ ...t, type: SVG_TWIN[t.type as string] } as Data) : t));
  return { data, layout: figure.layout };
}

/**
 * Points up to which line traces are drawn as SVG even with WebGL: a few selected traces of a
 * few thousand frames draw as fast in SVG, export crisp for papers, and take none of the ~16
 * WebGL contexts a page gets (each scattergl figure holds one; past the limit the browser drops
 * the oldest and plotly shows "WebGL is not supported" in its place).
 */
export const SVG_LINE_POINTS = 50_000;

/** The trace type for line plots of this many points in all. */
export function lineTraceType(points: number): 'scatter' | 'scattergl' {
  return points <= SVG_LINE_POINTS ? 'scatter' : 'scattergl';
}

/** What plotly's scattergl asks of the context (traces/scattergl/plot.js → prepareRegl). */
export const REGL_EXTENSIONS = ['ANGLE_instanced_arrays', 'OES_element_index_uint'] as const;

interface ProbeContext {
  getExtension(name: string): unknown;
}

/**
 * Whether a canvas gives a WebGL context plotly can draw scattergl with: a context alone is not
 * enough (software renderers and blocklisted GPUs may lack the extensions regl asks for, and
 * plotly then shows "WebGL is not supported" over the plot).
 */
export function webglUsable(canvas: { getContext(kind: string): unknown }): boolean {
  const gl = (canvas.getContext('webgl') ?? canvas.getContext('experimental-webgl')) as ProbeContext | null;
  if (!gl) return false;
  const ok = REGL_EXTENSIONS.every((e) => gl.getExtension(e) !== null);
  (gl.getExtension('WEBGL_lose_context') as { loseContext(): void } | null)?.loseContext();
  return ok;
}

let webgl: boolean | null = null;

/** Whether this browser can draw plotly's WebGL traces; asked once, the probe's context released. */
export function webglAvailable(): boolean {
  if (webgl !== null) return webgl;
  try {
    webgl = webglUsable(document.createElement('canvas'));
  } catch {
    webgl = false;
  }
  return webgl;
}
