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

let webgl: boolean | null = null;

/** Whether this browser gives a WebGL context; asked once, and the probe's context is released. */
export function webglAvailable(): boolean {
  if (webgl !== null) return webgl;
  try {
    const gl = document.createElement('canvas').getContext('webgl');
    webgl = gl !== null;
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
  } catch {
    webgl = false;
  }
  return webgl;
}
