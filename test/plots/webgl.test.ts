// Without WebGL every gl trace of a real figure becomes its SVG twin, attribute for attribute.
import type { Data } from 'plotly.js';
import { expect, test } from 'vitest';
import { countHistogramFigure, evTraceFigure } from '../../src/plots/markers';
import { REGL_EXTENSIONS, SVG_TWIN, webglUsable, withSvgTraces } from '../../src/plots/webgl';

type AnyTrace = Data & Record<string, unknown>;

const channel = (name: string) => ({
  name,
  trace: [5, 5, 5, 2, 2, 0, 0],
  segFrom: [0, 3, 5],
  segLength: [3, 2, 2],
  segLevel: [5, 2, 0],
  unit: 2.5,
});

test('the EV trace figure (scattergl) is drawn with SVG scatter traces carrying the same data', () => {
  const fig = evTraceFigure([channel('CD9'), channel('CD63')], 10, 'dark', 'EV 3');
  const gl = fig.data as AnyTrace[];
  expect(gl.filter((t) => t.type === 'scattergl').length).toBe(4);
  const svg = withSvgTraces(fig).data as AnyTrace[];
  expect(svg.map((t) => t.type)).toEqual(['scatter', 'scatter', 'scatter', 'scatter']);
  svg.forEach((t, i) => {
    const { type: _a, ...rest } = t;
    const { type: _b, ...orig } = gl[i];
    expect(rest).toEqual(orig);
  });
  // The layout (axes, annotations per channel row) is untouched, and the input is not mutated.
  expect(withSvgTraces(fig).layout).toBe(fig.layout);
  expect(gl[0].type).toBe('scattergl');
});

test('figures without WebGL traces are passed through as they are', () => {
  const fig = countHistogramFigure(
    {
      channels: [
        { name: 'CD9', counts: [0, 1, 2, 2] },
        { name: 'CD63', counts: [1, 1, 0, 3] },
      ],
    },
    'dark',
  );
  expect(fig.data.some((t) => (t.type as string) in SVG_TWIN)).toBe(false);
  expect(withSvgTraces(fig)).toBe(fig);
});

test('every SVG twin is a trace type plotly registers by itself or in the custom bundle', async () => {
  const src = await import('node:fs').then((fs) => fs.readFileSync('src/plots/plotly.ts', 'utf8'));
  for (const twin of Object.values(SVG_TWIN))
    expect(twin === 'scatter' || new RegExp(`plotly\\.js/lib/${twin}'`).test(src)).toBe(true);
});

/** A canvas whose WebGL context offers these extensions (null: no context at all). */
function canvasWith(extensions: readonly string[] | null, kind = 'webgl') {
  let lost = 0;
  const gl = {
    getExtension: (e: string) =>
      e === 'WEBGL_lose_context' ? { loseContext: () => lost++ } : extensions?.includes(e) ? {} : null,
  };
  return {
    getContext: (k: string) => (extensions && k === kind ? gl : null),
    lost: () => lost,
  };
}

test("WebGL counts as usable only with the extensions plotly's scattergl needs", () => {
  const full = canvasWith(REGL_EXTENSIONS);
  expect(webglUsable(full)).toBe(true);
  expect(full.lost()).toBe(1);
  expect(webglUsable(canvasWith(REGL_EXTENSIONS, 'experimental-webgl'))).toBe(true);
  // A context without instanced arrays (some software renderers): plotly would fail, so SVG.
  const partial = canvasWith(['OES_element_index_uint']);
  expect(webglUsable(partial)).toBe(false);
  expect(partial.lost()).toBe(1);
  expect(webglUsable(canvasWith(null))).toBe(false);
});

test("every extension asked for is the one plotly's scattergl passes to regl", async () => {
  const src = await import('node:fs').then((fs) =>
    fs.readFileSync('node_modules/plotly.js/src/traces/scattergl/plot.js', 'utf8'),
  );
  const m = /prepareRegl\(gd, (\[[^\]]*\])/.exec(src);
  expect(m).not.toBeNull();
  expect(JSON.parse(m![1].replace(/'/g, '"'))).toEqual([...REGL_EXTENSIONS]);
});
