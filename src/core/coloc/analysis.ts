// The EV ↔ structure distance analysis in one call (SCIENCE.md §4): signed distance of every EV
// position in every movie frame; the headline test on one summary per EV track against matched
// control tracks (trackTest.ts); random control positions per frame with histograms side by side
// and position-level KS and chi-square comparisons (descriptive: positions of a track are not
// independent); time within the cut-off and colocalization durations with an exponential fit. Every table is columnar and can be written with io/resultCsv's writeResultCsv.
import { type ControlPositions, type ControlRegion, controlPositions } from './analysisControl';
import type { SignedDistanceProvider } from './analysisDistance';
import { type DurationFit, fitDurations } from './analysisDurations';
import {
  allBins,
  DEFAULT_HISTOGRAM,
  type Histogram,
  type HistogramSpec,
  histogram,
  histogramTable,
} from './analysisHistogram';
import { type ChiSquareResult, chiSquareHomogeneity, type KsResult, ksTwoSample } from './analysisStats';
import {
  type ColocRuns,
  colocalizationRuns,
  DEFAULT_CUTOFF_NM,
  fractionWithin,
  measureDistances,
  measureTrackDistances,
  type PositionsTable,
  pooledDistances,
  type TrackDistances,
  type TrackWithin,
  trackFractionWithin,
} from './analysisTracks';
import {
  type ControlTracks,
  controlTracks,
  DEFAULT_CONTROL_TRACKS,
  summarizeTrackDistances,
  type TrackSummaries,
  type TrackTestResult,
  trackPermutationTest,
} from './trackTest';

export interface ColocParams {
  /** Movie frames analysed (control points are drawn for frames 0..movieFrames−1). */
  movieFrames: number;
  /** Time between movie frames, s (S raw frames × raw frame time; 6 × 5 ms in the study). */
  frameInterval: number;
  /** Where control points fall. */
  controlRegion: ControlRegion;
  controlPerFrame?: number;
  /** Matched control tracks per EV track for the headline test (default 20). */
  controlTracksPerTrack?: number;
  /** Permutations of the track-level test (default 9999). */
  permutations?: number;
  controlSeed?: number;
  /** Within = signed distance ≤ cutoff (nm), default 240. */
  cutoff?: number;
  histogram?: HistogramSpec;
  /**
   * 'nearest' (default): one distance per position, to the nearest structure. 'pooled': one
   * per (position, structure) pair, for the histograms and tests only; time courses, fractions
   * and durations always use the nearest structure.
   */
  pooling?: 'nearest' | 'pooled';
  /** Shortest run counted in the duration fit, in movie frames (default 1). */
  minDuration?: number;
  /** Right-censored runs enter the fit as lower bounds (default) or are dropped. */
  includeCensored?: boolean;
}

export interface ColocResult {
  /** The cut-off used (nm). */
  cutoff: number;
  distances: TrackDistances;
  control: ControlPositions & { distance: Float64Array };
  evHistogram: Histogram;
  controlHistogram: Histogram;
  /** Both histograms side by side (counts and percent, with underflow/overflow rows). */
  histogramTable: ReturnType<typeof histogramTable>;
  /**
   * The headline test (trackTest.ts): per-track mean signed distance, and per-track fraction of
   * frames within the cut-off, of EV tracks vs matched control tracks.
   */
  trackTest: { distance: TrackTestResult; within: TrackTestResult };
  /** Matched control tracks per EV track (their positions are not kept: sessions store results). */
  controlTracksPerTrack: number;
  evTrackSummaries: TrackSummaries;
  controlTrackSummaries: TrackSummaries;
  /** Descriptive (positions are not independent): KS and χ² over all positions. */
  ks: KsResult;
  chiSquare: ChiSquareResult;
  /** Fraction of all EV positions (resp. control points) within the cut-off. */
  evFractionWithin: number;
  controlFractionWithin: number;
  perTrack: TrackWithin;
  runs: ColocRuns;
  durationFit: DurationFit;
}

/** The control points and control tracks of an analysis (register them with a FrameSweep). */
export function colocControls(
  positions: PositionsTable,
  params: ColocParams,
): { points: ControlPositions; tracks: ControlTracks } {
  return {
    points: controlPositions(params.movieFrames, params.controlRegion, {
      perFrame: params.controlPerFrame,
      seed: params.controlSeed,
    }),
    tracks: controlTracks(positions, params.controlRegion, {
      perTrack: params.controlTracksPerTrack ?? DEFAULT_CONTROL_TRACKS,
      seed: params.controlSeed,
    }),
  };
}

export function analyzeColocalization(
  positions: PositionsTable,
  provider: SignedDistanceProvider,
  params: ColocParams,
  controls: { points: ControlPositions; tracks: ControlTracks } = colocControls(positions, params),
): ColocResult {
  const cutoff = params.cutoff ?? DEFAULT_CUTOFF_NM;
  const spec = params.histogram ?? DEFAULT_HISTOGRAM;
  const distances = measureTrackDistances(positions, provider);
  const ctrl = controls.points;
  const ct = controls.tracks;
  const ctDistance = measureDistances(ct.columns.frame, ct.columns.x, ct.columns.y, provider);
  const evTrackSummaries = summarizeTrackDistances(
    positions.columns.track,
    distances.columns.distance,
    cutoff,
  );
  const controlTrackSummaries = summarizeTrackDistances(ct.columns.track, ctDistance, cutoff);
  const testOptions = { permutations: params.permutations, seed: params.controlSeed };
  const trackTest = {
    distance: trackPermutationTest(
      evTrackSummaries,
      controlTrackSummaries,
      ct.perTrack,
      'meanDistance',
      testOptions,
    ),
    within: trackPermutationTest(
      evTrackSummaries,
      controlTrackSummaries,
      ct.perTrack,
      'fractionWithin',
      testOptions,
    ),
  };
  const c = ctrl.columns;
  const controlDistance = measureDistances(c.frame, c.x, c.y, provider);
  const pooled = params.pooling === 'pooled';
  const pc = positions.columns;
  const evValues = pooled ? pooledDistances(pc.frame, pc.x, pc.y, provider) : distances.columns.distance;
  const controlValues = pooled ? pooledDistances(c.frame, c.x, c.y, provider) : controlDistance;
  const evHistogram = histogram(evValues, spec);
  const controlHistogram = histogram(controlValues, spec);
  const runs = colocalizationRuns(distances, cutoff);
  return {
    cutoff,
    distances,
    control: { ...ctrl, distance: controlDistance },
    evHistogram,
    controlHistogram,
    histogramTable: histogramTable(evHistogram, controlHistogram),
    trackTest,
    controlTracksPerTrack: ct.perTrack,
    evTrackSummaries,
    controlTrackSummaries,
    ks: ksTwoSample(evValues, controlValues),
    chiSquare: chiSquareHomogeneity(allBins(evHistogram), allBins(controlHistogram)),
    evFractionWithin: fractionWithin(distances.columns.distance, cutoff),
    controlFractionWithin: fractionWithin(controlDistance, cutoff),
    perTrack: trackFractionWithin(distances, cutoff),
    runs,
    durationFit: fitDurations(runs.columns.duration, runs.columns.rightCensored, {
      frameInterval: params.frameInterval,
      minDuration: params.minDuration,
      includeCensored: params.includeCensored,
    }),
  };
}
