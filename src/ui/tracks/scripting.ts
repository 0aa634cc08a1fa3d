// window.evscope.runTracking / importTracks / runDistances / trackResults / distanceResults /
// selectTrack: the Tracks & distances step from a script (and the browser tests).
import type { DistanceResult, TracksResult } from '../../engine/tracksService';
import { registerScripting } from '../../scripting/api';
import { activeStack, dataStore } from '../../state/dataStore';
import type { TracksParams } from '../../state/tracksParams';
import { tracksStore } from '../../state/tracksStore';

function plainColumns(cols: Record<string, ArrayLike<number>>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(cols)) out[k] = Array.from(v);
  return out;
}

function tracksPlain(r: TracksResult) {
  return {
    source: r.source,
    detections: r.detections,
    tracksBefore: r.tracksBefore,
    gapsClosed: r.gapsClosed,
    radiusCheck: r.radiusCheck ? { ...r.radiusCheck } : null,
    tracks: { length: r.tracks.length, columns: plainColumns(r.tracks.columns) },
    summary: { length: r.summary.length, columns: plainColumns(r.summary.columns) },
  };
}

function distancesPlain(r: DistanceResult) {
  const c = r.coloc;
  return {
    movieFrames: r.movieFrames,
    window: r.window,
    step: r.step,
    threshold: r.threshold,
    structureCoverage: r.structureCoverage,
    /** The headline test, on tracks (see trackTest.ts); KS and χ² are per position, descriptive. */
    // Sessions saved before the track-level test have none.
    trackTest: c.trackTest
      ? { distance: { ...c.trackTest.distance }, within: { ...c.trackTest.within } }
      : null,
    ks: { ...c.ks },
    chiSquare: { ...c.chiSquare },
    evFractionWithin: c.evFractionWithin,
    controlFractionWithin: c.controlFractionWithin,
    durationFit: { ...c.durationFit },
    histogram: plainColumns(c.histogramTable.columns),
    distances: plainColumns(c.distances.columns),
    perTrack: plainColumns(c.perTrack.columns),
    runs: c.runs.length,
    controlPositions: c.control.length,
    elapsedMs: r.elapsedMs,
  };
}

function stack() {
  const st = activeStack(dataStore.getState());
  if (!st) throw new Error('No stack is open: open one (openRecipe / openFiles) first.');
  tracksStore.getState().forStack(st.info);
  return st;
}

let registered = false;

export function registerTracksScripting(): void {
  if (registered) return;
  registered = true;
  registerScripting('runTracking', async (patch: Partial<TracksParams> = {}) => {
    const st = stack();
    tracksStore.getState().setParams(patch);
    const r = await tracksStore.getState().runTracking(st);
    if (!r) throw new Error(tracksStore.getState().error ?? `tracking ${tracksStore.getState().trackStatus}`);
    return tracksPlain(r);
  });
  registerScripting(
    'importTracks',
    async (text: string, format: 'csv' | 'text' = 'csv', fileName = 'tracks.csv') => {
      const st = stack();
      const r = await tracksStore.getState().importTracks(st, text, fileName, format);
      if (!r) throw new Error(tracksStore.getState().error ?? 'import failed');
      return tracksPlain(r);
    },
  );
  registerScripting('runDistances', async (patch: Partial<TracksParams> = {}) => {
    const st = stack();
    tracksStore.getState().setParams(patch);
    const r = await tracksStore.getState().runDistances(st);
    if (!r)
      throw new Error(tracksStore.getState().error ?? `distances ${tracksStore.getState().distanceStatus}`);
    return distancesPlain(r);
  });
  registerScripting('trackResults', () => {
    const r = tracksStore.getState().tracks;
    return r ? tracksPlain(r) : null;
  });
  registerScripting('distanceResults', () => {
    const r = tracksStore.getState().distances;
    return r ? distancesPlain(r) : null;
  });
  registerScripting('selectTrack', (id: number | null) => tracksStore.getState().selectTrack(id));
}

registerTracksScripting();
