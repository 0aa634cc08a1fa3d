// The experiment's parameter set per step, taken from the panels: the same settings the
// Localize, Movie and Tracks & distances steps run with on the input on screen, so what a user
// tuned on one stack is applied to every input of the batch. Pixel size and frame interval stay
// with each input (its file's metadata, else the experiment's), as in `evscope batch`; the Ca²⁺
// step segments each input anew with the panel's segmentation settings (cells drawn or edited
// on one stack belong to that stack).
import type { ExperimentStepName, ExperimentSteps } from '../core/experiment/model';
import type { LocalizeParamsInput } from '../core/localize/params';
import { calciumStore, toCalciumParams } from './calciumStore';
import { activeStack, dataStore } from './dataStore';
import { localizeInput, localizeParamsStore } from './localizeParamsStore';
import { toEvParams } from './markersParams';
import { markersStore } from './markersStore';
import { movieStore } from './movieStore';
import { postStore } from './postStore';
import {
  DEFAULT_TRACKS_PARAMS,
  FALLBACK_EV_SIGMA_NM,
  histogramFor,
  localizeFor,
  movieFor,
  thresholdFor,
} from './tracksParams';
import { tracksStore } from './tracksStore';

export const BROWSER_STEPS: ExperimentStepName[] = [
  'localize',
  'movie',
  'tracks',
  'coloc',
  'markers',
  'calcium',
];

/** Post-processing is not a step of its own in the experiment file: it shapes the movie. */
export type PanelStep = ExperimentStepName | 'post';

function withoutPixelSize(p: LocalizeParamsInput): LocalizeParamsInput {
  const { pixelSizeNm: _px, ...rest } = p;
  return rest;
}

export function stepsFromPanels(which: readonly PanelStep[]): ExperimentSteps {
  const st = activeStack(dataStore.getState()) ?? null;
  const settings = localizeParamsStore.getState().settings;
  const tp = tracksStore.getState().params ?? DEFAULT_TRACKS_PARAMS;
  const out: ExperimentSteps = {};
  if (which.includes('localize'))
    out.localize = st
      ? { ...withoutPixelSize(localizeInput(settings, st)), channel: settings.channel }
      : {
          channel: settings.channel,
          sigmaNm: settings.sigmaNm ?? 130,
          fitSigma: settings.fitSigma,
          fitter: settings.fitter,
          detector: settings.detector,
          thresholdFactor: settings.thresholdFactor,
          minDistancePx: settings.minDistancePx,
        };
  if (which.includes('post')) {
    // Region steps are drawn on one input's reconstruction: they mean nothing for the others.
    const post = postStore.getState().steps.filter((x) => x.enabled !== false && x.kind !== 'region');
    if (post.length) out.post = post;
  }
  if (which.includes('movie')) {
    const m = movieFor(tp);
    // The experiment file knows 26 (x, y, t) and 8 (per frame) connectivity; 4 is taken as 8.
    const c = movieStore.getState().connectivity;
    out.movie = { ...m, threshold: thresholdFor(tp), connectivity: c === 26 ? 26 : 8 };
  }
  if (which.includes('tracks'))
    out.tracks = {
      channel: tp.channel,
      localize: st
        ? withoutPixelSize(localizeFor(tp, st))
        : {
            sigmaNm: tp.sigmaNm ?? FALLBACK_EV_SIGMA_NM,
            fitSigma: tp.fitSigma,
            thresholdFactor: tp.thresholdFactor,
          },
      link: { maxLinkDistance: tp.radiusNm, maxGap: tp.maxGap },
      filter: { minLength: tp.minLength, minMeanIntensity: tp.minIntensity },
      frameBase: tp.frameBase,
    };
  if (which.includes('coloc'))
    out.coloc = {
      cutoff: tp.cutoffNm,
      controlPerFrame: tp.controlPerFrame,
      histogram: histogramFor(tp),
      pooling: tp.pooling,
    };
  if (which.includes('markers')) {
    const mp = markersStore.getState().params;
    // Without a stack on screen the Markers panel has no channel roles to take.
    if (mp) {
      const { pixelSizeNm: _px, ...ev } = toEvParams(mp, undefined);
      out.markers = ev;
    }
  }
  if (which.includes('calcium')) {
    const cp = calciumStore.getState().params;
    // Without a stack on screen the Ca²⁺ panel has no addition frame to take.
    if (cp) {
      const { frameIntervalS: _dt, ...ca } = toCalciumParams(cp);
      out.calcium = { ...ca, channel: cp.channel };
    }
  }
  return out;
}
