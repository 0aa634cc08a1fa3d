// The EV ↔ structure distance analysis in one call (SCIENCE.md §4): signed distance of every EV
// position in every movie frame, the same for random control positions, histograms side by
// side, KS and chi-square comparisons, time within the cut-off and colocalization durations
// with an exponential fit. Every table is columnar and can be written with io/resultCsv's writeResultCsv.
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

export interface ColocParams {
  /** Movie frames analysed (control points are drawn for frames 0..movieFrames−1). */
  movieFrames: number;
  /** Time between movie frames, s (S raw frames × raw frame time; 6 × 5 ms in the study). */
  frameInterval: number;
  /** Where control points fall. */
  controlRegion: ControlRegion;
  controlPerFrame?: number;
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
  distances: TrackDistances;
  control: ControlPositions & { distance: Float64Array };
  evHistogram: Histogram;
  controlHistogram: Histogram;
  /** Both histograms side by side (counts and percent, with underflow/overflow rows). */
  histogramTable: ReturnType<typeof histogramTable>;
  ks: KsResult;
  chiSquare: ChiSquareResult;
  /** Fraction of all EV positions (resp. control points) within the cut-off. */
  evFractionWithin: number;
  controlFractionWithin: number;
  perTrack: TrackWithin;
  runs: ColocRuns;
  durationFit: DurationFit;
}

export function analyzeColocalization(
  positions: PositionsTable,
  provider: SignedDistanceProvider,
  params: ColocParams,
): ColocResult {
  const cutoff = params.cutoff ?? DEFAULT_CUTOFF_NM;
  const spec = params.histogram ?? DEFAULT_HISTOGRAM;
  const distances = measureTrackDistances(positions, provider);
  const ctrl = controlPositions(params.movieFrames, params.controlRegion, {
    perFrame: params.controlPerFrame,
    seed: params.controlSeed,
  });
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
    distances,
    control: { ...ctrl, distance: controlDistance },
    evHistogram,
    controlHistogram,
    histogramTable: histogramTable(evHistogram, controlHistogram),
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
