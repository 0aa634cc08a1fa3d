// Ca²⁺ step, centre: the baseline's mean image with the cell outlines, where cells are picked
// (click; shift-click adds), deleted, merged or drawn as polygons, and under it the heat map of
// every cell's ΔF/F₀ — filled in while the frames are read, the addition frame marked.
import { useEffect, useMemo, useRef, useState } from 'react';
import { labelAt, outlineMask } from '../../core/calcium';
import { dffHeatmapFigure, traceColour } from '../../plots/calcium';
import { Plot } from '../../plots/Plot';
import { calciumStore, useCalcium } from '../../state/calciumStore';
import { useUi } from '../../state/uiStore';

function percentileRange(img: Float32Array): [number, number] {
  const s = Float32Array.from(img).sort();
  return [s[Math.floor(0.01 * (s.length - 1))], s[Math.floor(0.995 * (s.length - 1))]];
}

function drawImage(
  canvas: HTMLCanvasElement,
  mean: Float32Array,
  labels: Int32Array | null,
  width: number,
  height: number,
  selected: number[],
) {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(width, height);
  const [lo, hi] = percentileRange(mean);
  const k = hi > lo ? 255 / (hi - lo) : 0;
  const outline = labels ? outlineMask(labels, width, height) : null;
  const colourOf = new Map(selected.map((c, i) => [c, traceColour(i)]));
  for (let i = 0; i < mean.length; i++) {
    const g = Math.max(0, Math.min(255, (mean[i] - lo) * k));
    let r = g;
    let gg = g;
    let b = g;
    if (outline?.[i] && labels) {
      const sel = colourOf.get(labels[i]);
      if (sel) {
        r = Number.parseInt(sel.slice(1, 3), 16);
        gg = Number.parseInt(sel.slice(3, 5), 16);
        b = Number.parseInt(sel.slice(5, 7), 16);
      } else {
        r = 255;
        gg = 200;
        b = 40;
      }
    }
    img.data[4 * i] = r;
    img.data[4 * i + 1] = gg;
    img.data[4 * i + 2] = b;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

export function CalciumView() {
  const mean = useCalcium((s) => s.meanImage);
  const labels = useCalcium((s) => s.labels);
  const width = useCalcium((s) => s.width);
  const height = useCalcium((s) => s.height);
  const selected = useCalcium((s) => s.selected);
  const count = useCalcium((s) => s.count);
  const liveDff = useCalcium((s) => s.liveDff);
  const result = useCalcium((s) => s.result);
  const params = useCalcium((s) => s.params);
  const running = useCalcium((s) => s.status === 'running');
  const theme = useUi((s) => s.theme);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drawing, setDrawing] = useState<number[][] | null>(null);

  useEffect(() => {
    if (canvas.current && mean) drawImage(canvas.current, mean, labels, width, height, selected);
  }, [mean, labels, width, height, selected]);

  const toPixel = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * width, ((e.clientY - r.top) / r.height) * height];
  };

  const dff = running ? liveDff : (result?.dff ?? null);
  const heat = useMemo(() => {
    if (!dff || !params) return null;
    const n = running ? count : (result?.count ?? 0);
    const frames = dff.length / Math.max(1, n);
    if (!n || !Number.isInteger(frames)) return null;
    return dffHeatmapFigure(
      { dff, count: n, frames, frameIntervalS: params.frameIntervalS, addFrame: params.addFrame },
      theme,
    );
  }, [dff, params, running, count, result, theme]);

  if (!mean)
    return (
      <div className={heat ? 'ca-view' : 'ca-view ca-empty'}>
        <p>“Find cells” in the Ca²⁺ panel shows the baseline's mean image and the cells here.</p>
        {heat && <Plot figure={heat} label="ΔF/F₀ heat map" className="ca-heat" />}
      </div>
    );
  const st = calciumStore.getState();
  return (
    <div className="ca-view" data-testid="ca-view">
      <div className="ca-toolbar" role="toolbar" aria-label="Cell editing">
        <span>{count} cells</span>
        <button
          type="button"
          className="btn"
          disabled={!selected.length}
          onClick={() => st.deleteCells(selected)}
        >
          Delete selected
        </button>
        <button
          type="button"
          className="btn"
          disabled={selected.length < 2}
          onClick={() => st.mergeCells(selected)}
        >
          Merge selected
        </button>
        {drawing ? (
          <>
            <button
              type="button"
              className="btn primary"
              disabled={drawing.length < 3}
              onClick={() => {
                st.addPolygon(
                  drawing.map((q) => q[0]),
                  drawing.map((q) => q[1]),
                );
                setDrawing(null);
              }}
            >
              Finish cell ({drawing.length} points)
            </button>
            <button type="button" className="btn" onClick={() => setDrawing(null)}>
              Discard
            </button>
          </>
        ) : (
          <button
            type="button"
            className="btn"
            onClick={() => setDrawing([])}
            title="Click the outline's corners"
          >
            Draw a cell
          </button>
        )}
        <button type="button" className="btn" disabled={!selected.length} onClick={() => st.select([])}>
          Clear selection
        </button>
      </div>
      <div className="ca-image">
        <canvas
          ref={canvas}
          data-testid="ca-canvas"
          aria-label="Mean image of the baseline with cell outlines"
          style={{ aspectRatio: `${width} / ${height}` }}
          onClick={(e) => {
            const [x, y] = toPixel(e);
            if (drawing) return setDrawing([...drawing, [x, y]]);
            if (!labels) return;
            const l = labelAt(labels, width, height, x, y);
            if (!l) return;
            const cur = calciumStore.getState().selected;
            const on = cur.includes(l);
            st.select(e.shiftKey ? (on ? cur.filter((c) => c !== l) : [...cur, l]) : on ? [] : [l]);
          }}
        />
        {drawing && drawing.length > 0 && (
          <svg className="ca-drawing" viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
            <polyline points={drawing.map((q) => q.join(',')).join(' ')} />
          </svg>
        )}
      </div>
      {heat && <Plot figure={heat} label="ΔF/F₀ heat map" className="ca-heat" />}
    </div>
  );
}
