// Tracks & distances step, right column: the numbers of the last runs (tracks, classes, the
// track-level test first with its n and CI, then the descriptive per-position KS and χ²,
// fractions within the cut-off, τ), the selected track's MSD, and the overlay's controls.
import { useMemo } from 'react';
import type { TrackTestResult } from '../../core/coloc/trackTest';
import { tracksToCsv } from '../../core/spt/io';
import { MOBILITY_NAMES } from '../../core/spt/summary';
import { Plot } from '../../plots/Plot';
import { formatP, msdFigure, runTracks, trackSummaryCsv } from '../../plots/tracks';
import { activeStack, useData } from '../../state/dataStore';
import { frameIntervalS } from '../../state/tracksParams';
import { distancesStale, tracksStore, useTracks } from '../../state/tracksStore';
import { uiStore, useUi } from '../../state/uiStore';
import { DownloadButton } from '../DownloadButton';

/** A track-level test's result: p and n first, then the EV − control difference with its CI. */
function TrackTest({ t }: { t: TrackTestResult }) {
  if (!t.tracks) return <>no track measured</>;
  const v = (x: number, sign = false) => {
    if (!Number.isFinite(x)) return '—';
    const s = sign && x > 0 ? '+' : '';
    return t.summary === 'meanDistance' ? `${s}${x.toFixed(0)} nm` : `${s}${(100 * x).toFixed(1)}%`;
  };
  return (
    <>
      p {formatP(t.p)} · {t.tracks} tracks, {t.positions.toLocaleString()} pos., {t.cells ?? 1} cell
      <br />
      EV − ctl {v(t.difference, true)} (95% CI {v(t.ciLow, true)} to {v(t.ciHigh, true)})
      {t.excluded ? ` · ${t.excluded} unmeasured` : ''}
    </>
  );
}

export function TracksResults() {
  const tracks = useTracks((s) => s.tracks);
  const dist = useTracks((s) => s.distances);
  const stale = useTracks(distancesStale);
  const selected = useTracks((s) => s.selectedTrack);
  const colouring = useTracks((s) => s.colouring);
  const show = useTracks((s) => s.showOverlay);
  const theme = useUi((s) => s.theme);
  const st = useData(activeStack);
  const dt = st ? frameIntervalS(st) : 0.005;
  const msd = useMemo(
    () => (tracks ? msdFigure(tracks.tracks, tracks.summary, selected, dt, theme) : null),
    [tracks, selected, dt, theme],
  );
  if (!tracks)
    return (
      <section className="section">
        <h2>Tracks</h2>
        <p className="muted mk-note">
          Track the EVs (or import tracks), then measure their distance to the structures of the PALM movie.
        </p>
      </section>
    );
  const s = tracks.summary.columns;
  const classes = MOBILITY_NAMES.map((name, k) => ({ name, n: s.mobility.filter((m) => m === k).length }));
  const c = dist?.coloc;
  return (
    <>
      <section className="section" aria-labelledby="tk-sum">
        <h2 id="tk-sum">Tracks</h2>
        <p className="mk-note num" data-testid="tracks-summary">
          {tracks.summary.length} tracks ({tracks.tracksBefore} before filters) ·{' '}
          {tracks.tracks.length.toLocaleString()} positions
          {tracks.source.kind === 'tracked'
            ? ` · ${tracks.detections.toLocaleString()} spots, ${tracks.gapsClosed} gaps closed`
            : ` · from ${tracks.source.fileName}`}
        </p>
        {tracks.radiusCheck?.warning && (
          <p className="mk-warn" data-testid="tracks-radius-warning">
            {tracks.radiusCheck.warning}{' '}
            <button
              type="button"
              className="btn"
              onClick={() =>
                tracksStore.getState().setParams({ radiusNm: tracks.radiusCheck!.suggestedRadiusNm })
              }
            >
              Use {tracks.radiusCheck.suggestedRadiusNm} nm
            </button>
          </p>
        )}
        <p className="mk-note num">
          {classes
            .filter((k) => k.n)
            .map((k) => `${k.n} ${k.name}`)
            .join(' · ')}
        </p>
        <div className="row tk-buttons">
          <DownloadButton className="btn" file={'tracks.csv'} text={() => tracksToCsv(tracks.tracks)}>
            Tracks CSV
          </DownloadButton>
          <DownloadButton
            className="btn"
            file={'track-summary.csv'}
            text={() => trackSummaryCsv(tracks.summary, c?.perTrack ?? null)}
          >
            Summary CSV
          </DownloadButton>
          <button type="button" className="btn" onClick={() => uiStore.getState().setCentreView('tracks')}>
            Figures
          </button>
        </div>
        <div className="row tk-overlay-row">
          <label className="mk-check" title="Draw the tracks over the raw frames and the movie">
            <input
              type="checkbox"
              data-testid="tracks-overlay-toggle"
              checked={show}
              onChange={(e) => tracksStore.getState().setShowOverlay(e.target.checked)}
            />{' '}
            overlay
          </label>
          <select
            aria-label="Colour tracks by"
            value={colouring}
            title="Colour the overlay by time along the track, or by the distance to the nearest structure"
            onChange={(e) => tracksStore.getState().setColouring(e.target.value as 'time' | 'distance')}
          >
            <option value="time">colour by time</option>
            <option value="distance" disabled={!c}>
              colour by distance
            </option>
          </select>
        </div>
      </section>
      {c && dist && (
        <section className="section" aria-labelledby="tk-dist">
          <h2 id="tk-dist">Distances</h2>
          {stale && <p className="mk-warn">Parameters or tracks changed since: run the distances again.</p>}
          <dl className="meta-grid tk-stats" data-testid="distance-summary">
            <dt>movie</dt>
            <dd className="num">
              {dist.movieFrames} frames · W {dist.window} · S {dist.step}
            </dd>
            <dt>threshold</dt>
            <dd className="num">
              {dist.threshold.toPrecision(3)} ({dist.thresholdKind}) ·{' '}
              {(100 * dist.structureCoverage).toFixed(2)}% covered
            </dd>
            <dt>positions</dt>
            <dd className="num">
              EV {c.distances.length.toLocaleString()} · ctl {c.control.length.toLocaleString()}
            </dd>
            {c.trackTest ? (
              <>
                <dt title="Per-track mean signed distance, EV tracks vs matched control tracks (stratified permutation test)">
                  test (tracks)
                </dt>
                <dd className="num" data-testid="track-test">
                  <TrackTest t={c.trackTest.distance} />
                </dd>
                <dt
                  title={`Secondary comparison: per-track fraction of frames within ${c.cutoff} nm, EV tracks vs matched control tracks`}
                >
                  within, per track
                </dt>
                <dd className="num" data-testid="track-test-within">
                  <TrackTest t={c.trackTest.within} />
                </dd>
              </>
            ) : (
              <>
                <dt>test (tracks)</dt>
                <dd className="mk-warn">
                  This saved result predates the track-level test: run the distances again.
                </dd>
              </>
            )}
            <dt title="Per position, as if positions were independent: descriptive only, the p-values are far too small">
              KS (descriptive)
            </dt>
            <dd className="num muted" data-testid="ks">
              D {c.ks.D.toFixed(3)}, p {formatP(c.ks.p)} · n {c.ks.n.toLocaleString()} positions
            </dd>
            <dt title="Per position, bins with expected counts < 5 merged: descriptive only">
              χ² (descriptive)
            </dt>
            <dd className="num muted">
              {c.chiSquare.statistic.toFixed(1)} (df {c.chiSquare.df}
              {c.chiSquare.bins < c.chiSquare.originalBins
                ? `, ${c.chiSquare.originalBins}→${c.chiSquare.bins} bins`
                : ''}
              ), p {formatP(c.chiSquare.p)}
            </dd>
            <dt>within, all positions</dt>
            <dd className="num">
              EV {(100 * c.evFractionWithin).toFixed(1)}% · ctl {(100 * c.controlFractionWithin).toFixed(1)}%
            </dd>
            <dt>τ</dt>
            <dd className="num">
              {Number.isFinite(c.durationFit.tau)
                ? `${c.durationFit.tau.toFixed(3)} s (${c.durationFit.tauLow.toFixed(3)}–${Number.isFinite(c.durationFit.tauHigh) ? c.durationFit.tauHigh.toFixed(3) : '∞'})`
                : '—'}{' '}
              · {c.runs.length} runs from {runTracks(c.runs)} tracks
            </dd>
            {dist.cellMask && (
              <>
                <dt>cell mask</dt>
                <dd className="num">{(100 * dist.cellMask.coverage).toFixed(0)}% of the field</dd>
              </>
            )}
          </dl>
          {c.trackTest && (
            <details className="tk-help" data-testid="distance-help">
              <summary>How the test works</summary>
              <p>
                The EV track is the unit. Frames of one track are not independent (an immobile EV repeats its
                distance in every frame), so tests over all positions reject on random data; KS and χ² are
                shown as descriptive only.
              </p>
              <p>
                Each EV track gets {c.controlTracksPerTrack} control tracks: the same trajectory, on the same
                movie frames, shifted to uniform random places in the control region. Per track, the mean
                signed distance (frames with structures) and the fraction of frames within {c.cutoff} nm are
                compared with its controls. The p-value comes from{' '}
                {c.trackTest.distance.permutations.toLocaleString()} permutations of the EV label within each
                track's set (exact under the null that placement is independent of the structures). The effect
                is the mean over tracks of EV − control, with a 95 % bootstrap CI resampling tracks. n counts
                tracks, positions and cells (one stack = one cell).
              </p>
            </details>
          )}
        </section>
      )}
      {msd && (
        <section className="section">
          <h2>MSD</h2>
          <Plot figure={msd} label="Track MSD" className="plot tk-plot-small" />
        </section>
      )}
    </>
  );
}
