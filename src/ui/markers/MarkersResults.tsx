// EV markers step, results: the subtype table with bootstrap CIs, the probe-count tests between
// subtypes, and the selected EV's traces with their fitted steps. The big figures (ternary,
// histograms, probe box plot, EV table) are in the centre's "EV markers" view.
import { Fragment, useMemo } from 'react';
import {
  breakableSubtype,
  formatCiRange,
  formatP,
  formatPercent,
  significanceStars,
} from '../../core/ev/format';
import { evTraceFigure } from '../../plots/markers';
import { Plot } from '../../plots/Plot';
import { activeStack, effectiveMeta, useData } from '../../state/dataStore';
import { isStale, markersStore, useMarkers } from '../../state/markersStore';
import { useRegistration } from '../../state/registrationStore';
import { useUi } from '../../state/uiStore';
import { showEvInViewer } from './showInViewer';

export function MarkersResults() {
  const result = useMarkers((s) => s.result);
  const st = useData(activeStack);
  // A new registration makes the count stale: re-render when it changes.
  useRegistration((s) => s.byStack);
  const stale = useMarkers((s) => isStale(s, st ? effectiveMeta(st).pixelSizeNm : undefined));
  if (!result)
    return (
      <section className="section">
        <h2>EV markers</h2>
        <p className="muted mk-note">
          Subtype fractions with 95 % CIs, probe-count tests and each EV’s bleaching traces appear here after
          a count.
        </p>
      </section>
    );
  return (
    <>
      <Summary stale={stale} />
      <SubtypeTable />
      <Comparisons />
      <SelectedEv />
    </>
  );
}

function Summary({ stale }: { stale: boolean }) {
  const r = useMarkers((s) => s.result)!;
  const showOverlay = useMarkers((s) => s.showOverlay);
  const d = r.dropped;
  return (
    <section className="section" aria-labelledby="mk-sum">
      <h2 id="mk-sum">EV count</h2>
      <p className="mk-note num" data-testid="markers-summary">
        {r.length} EVs · {r.nFrames} frames · {(r.elapsedMs / 1000).toFixed(1)} s
        {d.crowded + d.nearBorder > 0 ? ` · left out: ${d.crowded} crowded, ${d.nearBorder} at the edge` : ''}
      </p>
      <dl className="meta-grid mk-units">
        {r.channels.map((c) => (
          <div key={c.name} style={{ display: 'contents' }}>
            <dt title="Single-dye intensity (ADU over the ROI) learnt from final bleaching steps ± standard error">
              {c.name} unit
            </dt>
            <dd className="num">
              {Number.isFinite(c.unit.unit)
                ? `${c.unit.unit.toFixed(0)} ± ${c.unit.sem.toFixed(0)} ADU (n ${c.unit.n})`
                : 'unknown'}
            </dd>
          </div>
        ))}
      </dl>
      <p
        className="mk-note"
        data-testid="markers-registration"
        title="Two-colour registration the ROIs were placed with (Data step)"
      >
        Registration: {r.registration ? r.registration.label : 'none (channels taken as aligned)'}
      </p>
      <label
        className="mk-check"
        title="Outline every counted EV's ROI on the raw frames; the selected one in yellow with its background ring"
      >
        <input
          type="checkbox"
          checked={showOverlay}
          onChange={(e) => markersStore.getState().setShowOverlay(e.target.checked)}
          data-testid="ev-overlay-toggle"
        />
        Outline EVs on the raw frames
      </label>
      {stale && <p className="mk-warn">Parameters changed since this count: run it again to update.</p>}
      {r.warnings.map((w) => (
        <p key={w} className="mk-warn" role="alert">
          {w}
        </p>
      ))}
    </section>
  );
}

function SubtypeTable() {
  const r = useMarkers((s) => s.result)!;
  const f = r.statistics.fractions;
  const probe = r.classification.probe;
  const rows = f.names
    .map((name, k) => {
      let sum = 0;
      let n = 0;
      if (probe)
        for (let e = 0; e < probe.length; e++)
          if (r.classification.subtype[e] === k && Number.isFinite(probe[e])) {
            sum += probe[e];
            n++;
          }
      return {
        name,
        k,
        count: f.count[k],
        pct: formatPercent(f.fraction[k]),
        ci: formatCiRange(f.lower[k], f.upper[k]),
        probe: n ? sum / n : Number.NaN,
      };
    })
    .filter((row) => row.count > 0);
  return (
    <section className="section" aria-labelledby="mk-sub">
      <h2 id="mk-sub">Subtypes</h2>
      <table className="mk-small" data-testid="subtype-table">
        <thead>
          <tr>
            <th>subtype</th>
            <th className="num" title="EVs of this subtype">
              n
            </th>
            <th className="num" title="Fraction of classified EVs; below it the percentile-bootstrap 95 % CI">
              % · CI
            </th>
            {probe && (
              <th className="num" title="Mean probe molecules per EV">
                probe
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.k}>
              <td>
                <span className="mk-subtype-name">
                  <span className="mk-swatch" data-code={row.k} />
                  {breakableSubtype(row.name)}
                </span>
              </td>
              <td className="num">{row.count}</td>
              <td className="num">
                {row.pct}
                <small>{row.ci}</small>
              </td>
              {probe && <td className="num">{Number.isFinite(row.probe) ? row.probe.toFixed(1) : '–'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted mk-note num">{f.n} EVs classified</p>
    </section>
  );
}

function Comparisons() {
  const r = useMarkers((s) => s.result)!;
  const params = useMarkers((s) => s.params);
  if (!r.classification.probe || !params) return null;
  const probeName = r.channels.find((c) => c.role === 'probe')?.name ?? 'probe';
  const comps = r.statistics.comparisons;
  return (
    <section className="section" aria-labelledby="mk-cmp">
      <h2 id="mk-cmp">{probeName} per subtype</h2>
      <div className="row">
        <select
          aria-label="Test between subtypes"
          value={params.test}
          title="Welch's unequal-variance t-test, or the rank-based Mann–Whitney U test"
          onChange={(e) =>
            markersStore.getState().setParams({ test: e.target.value as 'welch' | 'mann-whitney' })
          }
        >
          <option value="welch">Welch’s t-test</option>
          <option value="mann-whitney">Mann–Whitney U</option>
        </select>
        <span className="muted mk-note">Bonferroni × {comps.length}</span>
      </div>
      {comps.length === 0 ? (
        <p className="muted mk-note">Tests need two subtypes with at least two EVs each.</p>
      ) : (
        <table className="mk-small" data-testid="comparison-table">
          <thead>
            <tr>
              <th />
              <th className="num" title={r.statistics.test === 'welch' ? 't statistic' : 'U statistic'}>
                {r.statistics.test === 'welch' ? 't' : 'U'}
              </th>
              <th className="num" title="Two-sided p before correction">
                p
              </th>
              <th className="num" title="Bonferroni-corrected p">
                p adj.
              </th>
              <th />
            </tr>
          </thead>
          <tbody>
            {comps.map((c) => (
              <Fragment key={`${c.groupA}|${c.groupB}`}>
                <tr className="mk-pair">
                  <td colSpan={5}>
                    {breakableSubtype(c.groupA)} vs {breakableSubtype(c.groupB)}
                  </td>
                </tr>
                <tr>
                  <td />
                  <td className="num">
                    {Number.isFinite(c.statistic)
                      ? c.statistic.toFixed(r.statistics.test === 'welch' ? 2 : 0)
                      : '∞'}
                  </td>
                  <td className="num">{formatP(c.p)}</td>
                  <td className="num">{formatP(c.pAdjusted)}</td>
                  <td className="mk-stars">{significanceStars(c.pAdjusted)}</td>
                </tr>
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SelectedEv() {
  const r = useMarkers((s) => s.result)!;
  const selected = useMarkers((s) => s.selected);
  const traces = useMarkers((s) => s.traces);
  const theme = useUi((s) => s.theme);
  const figure = useMemo(
    () =>
      traces && traces.ev === selected ? evTraceFigure(traces.channels, traces.frameStart, theme) : null,
    [traces, selected, theme],
  );
  return (
    <section className="section" aria-labelledby="mk-ev">
      <h2 id="mk-ev">{selected === null ? 'Selected EV' : `EV ${r.columns.id[selected]}`}</h2>
      {selected === null ? (
        <p className="muted mk-note">
          Click an EV in a plot or the table to see its traces and fitted steps.
        </p>
      ) : (
        <>
          <div className="row">
            <button
              type="button"
              className="btn small"
              onClick={() => showEvInViewer(r, selected)}
              data-testid="show-ev"
            >
              Show in raw frames
            </button>
            <button
              type="button"
              className="btn small"
              onClick={() => void markersStore.getState().select(null)}
            >
              Clear
            </button>
          </div>
          {figure ? (
            <Plot figure={figure} label="EV traces" className="mk-plot mk-trace-plot" />
          ) : (
            <p className="muted mk-note">Loading traces…</p>
          )}
        </>
      )}
    </section>
  );
}
