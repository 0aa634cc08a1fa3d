// The one component that touches plotly: figure builders in src/plots are pure functions that
// return {data, layout}; this only mounts the figure and updates it in place with Plotly.react,
// so streaming updates do not rebuild the DOM. Without WebGL, gl traces are drawn as SVG.
import type { Config, Data, Layout, PlotlyHTMLElement } from 'plotly.js';
import { useEffect, useRef } from 'react';
import Plotly from './plotly';
import { webglAvailable, withSvgTraces } from './webgl';

export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
}

export interface PlotProps {
  figure: Figure;
  /** Accessible name of the plot, also used as the test hook. */
  label: string;
  className?: string;
  onClickPoint?: (point: { curveNumber: number; pointIndex: number; customdata?: unknown }) => void;
  /** Told when `figure` is on screen (plotly finished drawing it). */
  onDrawn?: (figure: Figure) => void;
  /**
   * Draw in a task of its own, after the change that brought the figure (e.g. a run's end) has
   * finished; a newer figure before then replaces it undrawn.
   */
  drawLater?: boolean;
}

// Every figure exports as PNG (the camera button) and as SVG for papers (the extra button).
const CONFIG: Partial<Config> = {
  displaylogo: false,
  responsive: true,
  toImageButtonOptions: { format: 'png', scale: 2 },
  modeBarButtonsToRemove: ['lasso2d', 'select2d'],
  modeBarButtonsToAdd: [
    {
      name: 'svg',
      title: 'Download plot as SVG',
      icon: Plotly.Icons.disk,
      click: (gd: PlotlyHTMLElement) => {
        void Plotly.downloadImage(gd, { format: 'svg', filename: 'evscope-figure', width: 900, height: 600 });
      },
    },
  ],
};

export function Plot({ figure, label, className, onClickPoint, onDrawn, drawLater }: PlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  const clickRef = useRef(onClickPoint);
  clickRef.current = onClickPoint;
  const drawnRef = useRef(onDrawn);
  drawnRef.current = onDrawn;
  const laterRef = useRef(drawLater);
  laterRef.current = drawLater;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const draw = () => {
      const shown = webglAvailable() ? figure : withSvgTraces(figure);
      void Plotly.react(el, shown.data, shown.layout, CONFIG).then(() => drawnRef.current?.(figure));
    };
    if (!laterRef.current) return draw();
    const t = setTimeout(draw, 0);
    return () => clearTimeout(t);
  }, [figure]);

  useEffect(() => {
    const el = ref.current as (HTMLDivElement & Partial<PlotlyHTMLElement>) | null;
    if (!el) return;
    return () => Plotly.purge(el);
  }, []);

  useEffect(() => {
    const el = ref.current as (HTMLDivElement & Partial<PlotlyHTMLElement>) | null;
    if (!el?.on) return;
    el.on('plotly_click', (ev) => {
      const p = ev.points[0];
      if (p)
        clickRef.current?.({
          curveNumber: p.curveNumber,
          pointIndex: p.pointIndex,
          customdata: p.customdata,
        });
    });
    return () => el.removeAllListeners?.('plotly_click');
  }, []);

  return <div ref={ref} className={className ?? 'plot'} role="img" aria-label={label} data-plot={label} />;
}
