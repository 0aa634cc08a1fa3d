// The centre's "Tracks & distances" view: EV vs control histograms with the tests, the selected
// track's distance over time, time within the cut-off per track, colocalization durations with
// the exponential fit, and the track table. A click on a bar or a row selects the track.
import { useMemo, useState } from 'react';
import { MOBILITY_NAMES } from '../../core/spt/summary';
import { Plot } from '../../plots/Plot';
import {
  controlCsv,
  distanceHistogramFigure,
  distancesCsv,
  durationFigure,
  fractionWithinFigure,
  histogramCsv,
  MOBILITY_COLOURS,
  perTrackCsv,
  runsCsv,
  trackDistanceFigure,
  trackSummaryCsv,
  trackTableRows,
  trackTestCsv,
} from '../../plots/tracks';
import { tracksStore, useTracks } from '../../state/tracksStore';
import { useUi } from '../../state/uiStore';
import { DownloadButton } from '../DownloadButton';
import './tracks.css';

const selectFromPoint = (p: { customdata?: unknown }) => {
  if (typeof p.customdata === 'number') tracksStore.getState().selectTrack(p.customdata);
};

type SortKey = 'id' | 'length' | 'D' | 'mobility' | 'fractionWithin';

export function TracksView() {
  const tracks = useTracks((s) => s.tracks);
  const dist = useTracks((s) => s.distances);
  const selected = useTracks((s) => s.selectedTrack);
  const units = useTracks((s) => s.histogramUnits);
  const cutoff = useTracks((s) => s.params?.cutoffNm ?? 240);
  const theme = useUi((s) => s.theme);
  const c = dist?.coloc;
  const figs = useMemo(() => {
    if (!c || !dist) return null;
    return {
      hist: distanceHistogramFigure(c, units, theme),
      within: fractionWithinFigure(c, cutoff, selected, theme),
      durations: durationFigure(c.runs, c.durationFit, dist.movieFrameIntervalS, theme),
    };
  }, [c, dist, units, cutoff, selected, theme]);
  const overTime = useMemo(
    () =>
      c && dist ? trackDistanceFigure(c.distances, selected, cutoff, dist.movieFrameIntervalS, theme) : null,
    [c, dist, selected, cutoff, theme],
  );
  if (!tracks)
    return (
      <div className="tk-view tk-empty">
        <p className="muted">
          No tracks yet: run tracking or import tracks in the Tracks &amp; distances step.
        </p>
      </div>
    );
  return (
    <div className="tk-view" data-testid="tracks-view">
      {figs && c ? (
        <>
          <div className="tk-fig-head">
            <span className="muted">Distance histograms</span>
            <select
              aria-label="Histogram units"
              value={units}
              onChange={(e) =>
                tracksStore.getState().setHistogramUnits(e.target.value as 'counts' | 'percent')
              }
            >
              <option value="percent">percent</option>
              <option value="counts">counts</option>
            </select>
            <DownloadButton file={'distance-histogram.csv'} text={() => histogramCsv(c.histogramTable)} />
            <DownloadButton file={'ev-distances.csv'} text={() => distancesCsv(c.distances)}>
              EV distances CSV
            </DownloadButton>
            <DownloadButton file={'control-distances.csv'} text={() => controlCsv(c.control)}>
              Control CSV
            </DownloadButton>
            {c.evTrackSummaries && (
              <DownloadButton
                title="One row per EV track: its mean distance and fraction within, and those of its matched control tracks (the data behind the test)"
                file="track-test.csv"
                text={() => trackTestCsv(c)}
              >
                Track test CSV
              </DownloadButton>
            )}
          </div>
          <div className="tk-grid">
            <Plot figure={figs.hist} label="EV vs control distance histogram" className="plot tk-plot" />
            <div className="tk-cell">
              <Plot figure={overTime!} label="Track distance over time" className="plot tk-plot" />
            </div>
            <div className="tk-cell">
              <Plot
                figure={figs.within}
                label="Time within cut-off"
                className="plot tk-plot"
                onClickPoint={selectFromPoint}
              />
              <DownloadButton
                className="btn small tk-corner"
                file={'within-cutoff.csv'}
                text={() => perTrackCsv(c.perTrack)}
              />
            </div>
            <div className="tk-cell">
              <Plot figure={figs.durations} label="Colocalization durations" className="plot tk-plot" />
              <DownloadButton
                className="btn small tk-corner"
                file={'colocalization-runs.csv'}
                text={() => runsCsv(c.runs)}
              />
            </div>
          </div>
        </>
      ) : (
        <p className="muted tk-note">
          Run the distance analysis to see the histograms, time within the cut-off and durations.
        </p>
      )}
      <TrackTable />
    </div>
  );
}

function fmt(v: number, digits = 3) {
  return Number.isFinite(v) ? v.toPrecision(digits) : '–';
}

function TrackTable() {
  const tracks = useTracks((s) => s.tracks)!;
  const perTrack = useTracks((s) => s.distances?.coloc.perTrack ?? null);
  const selected = useTracks((s) => s.selectedTrack);
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'id', dir: 1 });
  const rows = useMemo(() => {
    const r = trackTableRows(tracks.summary, perTrack);
    const val = (x: (typeof r)[number]) =>
      sort.key === 'mobility' ? MOBILITY_NAMES.indexOf(x.mobility) : x[sort.key];
    return r.sort((a, b) => {
      const va = val(a);
      const vb = val(b);
      if (Number.isNaN(va)) return 1;
      if (Number.isNaN(vb)) return -1;
      return (va - vb) * sort.dir;
    });
  }, [tracks, perTrack, sort]);
  const head = (key: SortKey, label: string, title: string) => (
    <th
      className="num"
      title={title}
      aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
    >
      <button
        type="button"
        onClick={() => setSort((s) => ({ key, dir: s.key === key ? (-s.dir as 1 | -1) : 1 }))}
      >
        {label}
        {sort.key === key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
  // A screenful at most: long track lists are for the CSV.
  const shown = rows.slice(0, 500);
  return (
    <div className="tk-table-wrap">
      <div className="tk-fig-head">
        <span className="muted">
          Tracks ({rows.length}
          {rows.length > shown.length ? `, first ${shown.length} shown` : ''})
        </span>
        <DownloadButton file={'track-summary.csv'} text={() => trackSummaryCsv(tracks.summary, perTrack)} />
      </div>
      <table className="mk-small tk-table" data-testid="track-table">
        <thead>
          <tr>
            {head('id', 'track', 'Track id')}
            {head('length', 'positions', 'Positions in the track')}
            {head('D', 'D (µm²/s)', 'Diffusion coefficient from the MSD (Michalet optimal points)')}
            {head(
              'mobility',
              'class',
              'mobile / immobile (D < 0.01 µm²/s) / confined (α < 0.5) / unclassified (short)',
            )}
            {head('fractionWithin', 'within cut-off', 'Fraction of movie frames within the cut-off')}
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr
              key={r.id}
              className={r.id === selected ? 'tk-selected' : undefined}
              onClick={() => tracksStore.getState().selectTrack(r.id)}
            >
              <td className="num">{r.id}</td>
              <td className="num">{r.length}</td>
              <td
                className="num"
                title={Number.isFinite(r.D) ? undefined : 'D not estimable: too short, or MSD slope ≤ 0'}
              >
                {Number.isFinite(r.D) ? fmt(r.D) : 'n.e.'}
              </td>
              <td>
                <span
                  className="tk-swatch"
                  style={{ background: MOBILITY_COLOURS[MOBILITY_NAMES.indexOf(r.mobility)] }}
                />
                {r.mobility}
              </td>
              <td className="num">
                {Number.isFinite(r.fractionWithin) ? `${(100 * r.fractionWithin).toFixed(0)}%` : '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
