// Localize step, right panel: histograms of photons, precision, σ and background that grow while
// the run streams (exact counts, redrawn once a second), and the localization table.
import { useMemo, useRef } from 'react';
import { histogramFigure, LOC_HISTOGRAMS, StreamingHistogram } from '../../plots/localize';
import { Plot } from '../../plots/Plot';
import { locsStore, useLocs } from '../../state/locsStore';
import { useUi } from '../../state/uiStore';
import { LocTableView } from './LocTableView';
import { RunProgressBar } from './RunProgressBar';
import { LIVE_REDRAW_MS, useThrottled } from './useThrottled';

function Histograms() {
  const running = useLocs((s) => s.status === 'running');
  // A finished (or replaced) table shows at once.
  const version = useThrottled(
    useLocs((s) => s.version),
    running ? LIVE_REDRAW_MS : 0,
  );
  const theme = useUi((s) => s.theme);
  const hists = useRef(LOC_HISTOGRAMS.map((spec) => new StreamingHistogram(spec.column)));
  const figures = useMemo(() => {
    void version;
    const chunks = locsStore.getState().chunks;
    return LOC_HISTOGRAMS.map((spec, i) => {
      const h = hists.current[i];
      h.update(chunks);
      return histogramFigure(chunks.length ? h.hist : null, spec, theme);
    });
  }, [version, theme]);
  return (
    <div className="loc-hists" data-testid="loc-histograms">
      {LOC_HISTOGRAMS.map((spec, i) => (
        <Plot key={spec.column} figure={figures[i]} label={`${spec.title} histogram`} className="loc-hist" />
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
