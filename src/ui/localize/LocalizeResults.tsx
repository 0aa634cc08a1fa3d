// Localize step, right panel: histograms of photons, precision, σ and background that grow while
// the run streams (exact counts), and the localization table. While a run streams the histograms
// are painted on canvases four times a second; the finished run's become plotly figures (hover,
// PNG/SVG export), drawn in a task after the run ends so the run's end does not wait for them.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { paintHistogram } from '../../plots/liveHistogram';
import {
  type Histogram,
  type HistogramSpec,
  histogramFigure,
  LOC_HISTOGRAMS,
  StreamingHistogram,
} from '../../plots/localize';
import { type Figure, Plot } from '../../plots/Plot';
import type { ThemeName } from '../../plots/theme';
import { locsStore, useLocs } from '../../state/locsStore';
import { useUi } from '../../state/uiStore';
import { LocTableView } from './LocTableView';
import { RunProgressBar } from './RunProgressBar';
import { useThrottled } from './useThrottled';

/** How often the live histograms repaint while a run streams (the store commits as often). */
export const LIVE_HISTOGRAM_MS = 250;

interface LiveProps {
  hist: Histogram | null;
  spec: HistogramSpec;
  theme: ThemeName;
  /** Changes whenever the counts in `hist` (updated in place) do. */
  version: number;
}

function LiveHistogram({ hist, spec, theme, version }: LiveProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    void version;
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paintHistogram(ctx, w, h, hist, spec, theme);
  }, [hist, spec, theme, version]);
  return (
    <canvas
      ref={ref}
      className="loc-hist-live"
      role="img"
      aria-label={`${spec.title} histogram so far`}
      data-live-histogram={spec.column}
    />
  );
}

interface CellProps extends LiveProps {
  figure: Figure;
  live: boolean;
}

/** One histogram: the plotly figure, under the live canvas until the figure is drawn and current. */
function HistogramCell({ figure, live, ...paint }: CellProps) {
  const [drawn, setDrawn] = useState<Figure | null>(null);
  return (
    <div className="loc-hist-cell">
      <Plot
        figure={figure}
        label={`${paint.spec.title} histogram`}
        className="loc-hist"
        onDrawn={setDrawn}
        drawLater
      />
      {(live || drawn !== figure) && <LiveHistogram {...paint} />}
    </div>
  );
}

function Histograms() {
  const running = useLocs((s) => s.status === 'running');
  // A finished (or replaced) table shows at once.
  const version = useThrottled(
    useLocs((s) => s.version),
    running ? LIVE_HISTOGRAM_MS : 0,
  );
  const theme = useUi((s) => s.theme);
  const hists = useRef(LOC_HISTOGRAMS.map((spec) => new StreamingHistogram(spec.column)));
  const shown = useMemo(() => {
    void version;
    const chunks = locsStore.getState().chunks;
    return hists.current.map((h) => {
      h.update(chunks);
      return chunks.length ? h.hist : null;
    });
  }, [version]);
  // Plotly gets the finished table only; during a run it keeps the figures it has.
  const last = useRef<Figure[] | null>(null);
  const figures = useMemo(
    () => (running ? null : LOC_HISTOGRAMS.map((spec, i) => histogramFigure(shown[i], spec, theme))),
    [running, shown, theme],
  );
  if (figures) last.current = figures;
  const plotted = last.current ?? LOC_HISTOGRAMS.map((spec) => histogramFigure(null, spec, theme));
  if (!last.current) last.current = plotted;
  return (
    <div className="loc-hists" data-testid="loc-histograms" data-live={running ? 'true' : 'false'}>
      {LOC_HISTOGRAMS.map((spec, i) => (
        <HistogramCell
          key={spec.column}
          figure={plotted[i]}
          live={running}
          hist={shown[i]}
          spec={spec}
          theme={theme}
          version={version}
        />
      ))}
    </div>
  );
}

export function LocalizeResults() {
  const count = useLocs((s) => s.count);
  const status = useLocs((s) => s.status);
  return (
    <section className="localize-results" aria-label="Localization results">
      <h2 className="results-title">Localizations</h2>
      <RunProgressBar />
      {count === 0 && status !== 'running' && (
        <p className="muted small-text pad">Histograms and the table fill in as soon as a run starts.</p>
      )}
      {/* Mounted before the run: creating four plots is the dearest redraw, keep it off the run. */}
      <Histograms />
      <LocTableView />
    </section>
  );
}
