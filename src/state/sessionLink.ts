// Shareable links: every step's parameters and the view (never data) in the URL hash as
// `#s=<compact JSON>`, plus the stack they were made on and which steps had results, so the
// reviewer is told plainly what the link does not carry and what to open. A link is untrusted
// input like a session file: every field is checked, unknown ones refused, and a bad link leaves
// the workbench as it is with a notice saying what was wrong.

import type { Connectivity } from '../core/binarize/structures';
import { type PostStep, parsePipeline } from '../core/locs/pipeline';
import type { MovieSigma } from '../core/movie/slidingMovie';
import {
  arr,
  bool,
  Issues,
  nullable,
  num,
  obj,
  record,
  type Check as SchemaCheck,
  oneOf as schemaOneOf,
  str,
} from '../core/session/schema';
import { calciumStore } from './calciumStore';
import { activeStack, dataStore, type MetaOverrides, type OverrideKey } from './dataStore';
import { DEFAULT_SETTINGS, type LocalizeSettings, localizeParamsStore } from './localizeParamsStore';
import { locsStore } from './locsStore';
import type { MarkersParams } from './markersParams';
import { markersStore } from './markersStore';
import type { MovieParams } from './movieParams';
import { movieStore } from './movieStore';
import { postStore } from './postStore';
import { DEFAULT_TRACKS_PARAMS, type TracksParams } from './tracksParams';
import { tracksStore } from './tracksStore';
import { type CentreViewId, type StepId, uiStore } from './uiStore';
import { viewerStore } from './viewerStore';

/** The Movie step's binarization (structure analysis) settings. */
export interface BinarizeLink {
  method: 'otsu' | 'manual';
  sampleFrames: number;
  manualThreshold: number;
  smoothSigmaPx: number;
  connectivity: Connectivity;
}

/** The movie store's initial binarization: links leave it out to stay short. */
const BINARIZE_DEFAULTS: BinarizeLink = {
  method: 'otsu',
  sampleFrames: 10,
  manualThreshold: 0,
  smoothSigmaPx: 1,
  connectivity: 26,
};

export interface LinkState {
  step?: StepId;
  view?: CentreViewId;
  frame?: number;
  localize?: Partial<LocalizeSettings>;
  post?: PostStep[];
  movie?: MovieParams;
  binarize?: BinarizeLink;
  tracks?: Partial<TracksParams>;
  markers?: MarkersParams;
  /** The Data step's corrections of the stack's metadata (pixel size, frame interval, camera). */
  meta?: MetaOverrides;
  /** Label of the stack the parameters were made on. */
  stack?: string;
  /** Steps that had results when the link was made (the link carries none of them). */
  results?: StepId[];
}

export const MAX_LINK_CHARS = 16_000;
const STEPS: StepId[] = ['data', 'localize', 'post', 'movie', 'tracks', 'markers', 'calcium', 'session'];
const VIEWS: CentreViewId[] = ['raw', 'reconstruction', 'movie', 'tracks', 'markers', 'calcium'];

type Check = (v: unknown) => boolean;
const isNum =
  (min = -Infinity): Check =>
  (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min;
const isInt =
  (min: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min;
const orNull =
  (c: Check): Check =>
  (v) =>
    v === null || c(v);
const oneOf =
  (xs: unknown[]): Check =>
  (v) =>
    xs.includes(v);
const isRoi: Check = (v) =>
  typeof v === 'object' &&
  v !== null &&
  ['x', 'y'].every((k) => isInt(0)((v as Record<string, unknown>)[k])) &&
  ['width', 'height'].every((k) => isInt(1)((v as Record<string, unknown>)[k])) &&
  Object.keys(v).length === 4;

const LOCALIZE: Record<keyof LocalizeSettings, Check> = {
  sigmaNm: orNull(isNum(1e-3)),
  fitSigma: (v) => typeof v === 'boolean',
  fitter: oneOf(['mle', 'lsq', 'wlsq', 'mle-multi']),
  maxEmitters: (v) => isInt(1)(v) && (v as number) <= 8,
  multiAlpha: (v) => isNum(0)(v) && (v as number) > 0 && (v as number) < 0.5,
  countByBrightness: (v) => typeof v === 'boolean',
  detector: oneOf(['wavelet', 'dog']),
  thresholdFactor: isNum(1e-3),
  fitRadiusPx: orNull(isInt(1)),
  minDistancePx: isNum(0),
  channel: isInt(0),
  firstFrame: orNull(isInt(1)),
  lastFrame: orNull(isInt(1)),
  roi: orNull(isRoi),
};

function plain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkSigma(v: unknown): MovieSigma {
  if (
    plain(v) &&
    v.kind === 'precision' &&
    isNum(1e-3)(v.factor) &&
    (v.minNm === undefined || isNum(0)(v.minNm))
  )
    return v.minNm === undefined
      ? { kind: 'precision', factor: v.factor as number }
      : { kind: 'precision', factor: v.factor as number, minNm: v.minNm as number };
  if (plain(v) && v.kind === 'fixed' && isNum(1e-3)(v.nm)) return { kind: 'fixed', nm: v.nm as number };
  throw new Error('movie.sigma must be {kind:"precision", factor} or {kind:"fixed", nm}');
}

// Whole-section schemas (the session file's toolkit): each refuses unknown keys and bad values.
const int = (min: number, max = 2 ** 31) => num({ min, max, integer: true });
const pos = num({ min: 0, exclusiveMin: true, max: 1e9 });
const nonNeg = num({ min: 0, max: 1e9 });

const binarizeSchema = obj({
  method: schemaOneOf(['otsu', 'manual'] as const),
  sampleFrames: int(1, 1e6),
  manualThreshold: nonNeg,
  smoothSigmaPx: nonNeg,
  connectivity: schemaOneOf([8, 26] as const),
});

const TRACKS_ENUMS: Partial<Record<keyof TracksParams, readonly (string | number)[]>> = {
  frameBase: [0, 1],
  thresholdMode: ['otsu', 'manual'],
  controlRegion: ['field', 'cell', 'drawn'],
  pooling: ['nearest', 'pooled'],
};
const tracksFields: Record<string, SchemaCheck<unknown>> = {};
for (const [k, v] of Object.entries(DEFAULT_TRACKS_PARAMS) as [keyof TracksParams, unknown][]) {
  const e = TRACKS_ENUMS[k];
  tracksFields[k] = e
    ? schemaOneOf(e)
    : typeof v === 'boolean'
      ? bool
      : k === 'sigmaNm'
        ? nullable(pos)
        : k === 'histStartNm'
          ? num({ min: -1e9, max: 1e9 })
          : nonNeg;
}
const tracksSchema = obj({}, tracksFields);

const markerChannel = obj(
  {
    channel: int(0, 64),
    name: str({ max: 64 }),
    role: schemaOneOf(['marker', 'probe', 'skip'] as const),
    threshold: nonNeg,
  },
  { unitIntensity: pos },
);
const reference: SchemaCheck<'union' | number> = (v, path, issues) =>
  v === 'union' ? 'union' : int(0, 64)(v, path, issues);
const markersSchema = obj({
  channels: arr(markerChannel, { max: 16 }),
  reference,
  thresholdK: nonNeg,
  projectionFrames: int(1),
  projection: schemaOneOf(['mean', 'max'] as const),
  minSeparationPx: nonNeg,
  radiusPx: pos,
  annulusInnerPx: nonNeg,
  annulusOuterPx: nonNeg,
  penaltyFactor: nonNeg,
  minSegment: int(1),
  frameStart: int(0),
  frameCount: int(0),
  method: schemaOneOf(['steps', 'ratio', 'locs'] as const),
  disagreementZ: nonNeg,
  locs: obj({
    use: bool,
    channel: int(0, 64),
    radiusNm: pos,
    mergeRadiusNm: nonNeg,
    maxDarkFrames: int(0),
    burstsPerMolecule: num({ min: 1, max: 1e6 }),
  }),
  rename: record(str({ max: 64 }), { maxKeys: 64 }),
  test: schemaOneOf(['welch', 'mann-whitney'] as const),
});

const metaFields: Record<string, SchemaCheck<unknown>> = {
  pixelSizeNm: pos,
  frameIntervalMs: pos,
  offsetAdu: nonNeg,
  electronsPerAdu: pos,
  emGain: pos,
  cameraKind: schemaOneOf(['ccd', 'emccd', 'scmos'] as const),
};
const metaSchema = obj({}, metaFields);

/** A section through its schema; throws with the first problem, prefixed by the section name. */
function section<T>(check: SchemaCheck<unknown>, v: unknown, name: string): T {
  const issues = new Issues();
  const out = check(v, name, issues);
  if (out === undefined || !issues.ok) throw new Error(issues.messages()[0] ?? `${name} is invalid`);
  return out as T;
}

/** Checks a decoded link; throws with the first problem, in words. */
export function checkLink(v: unknown): LinkState {
  if (!plain(v)) throw new Error('expected an object');
  const out: LinkState = {};
  for (const [k, x] of Object.entries(v)) {
    switch (k) {
      case 'step':
        if (!oneOf(STEPS)(x)) throw new Error(`unknown step "${String(x).slice(0, 40)}"`);
        out.step = x as StepId;
        break;
      case 'view':
        if (!oneOf(VIEWS)(x)) throw new Error(`unknown view "${String(x).slice(0, 40)}"`);
        out.view = x as CentreViewId;
        break;
      case 'frame':
        if (!isInt(0)(x)) throw new Error('frame must be a whole number ≥ 0');
        out.frame = x as number;
        break;
      case 'localize': {
        if (!plain(x)) throw new Error('localize must be an object');
        const l: Record<string, unknown> = {};
        for (const [p, pv] of Object.entries(x)) {
          const c = LOCALIZE[p as keyof LocalizeSettings];
          if (!c) throw new Error(`localize.${p.slice(0, 40)} is not a Localize parameter`);
          if (!c(pv)) throw new Error(`localize.${p} has an invalid value`);
          l[p] = pv;
        }
        out.localize = l as Partial<LocalizeSettings>;
        break;
      }
      case 'post':
        try {
          out.post = parsePipeline(x);
        } catch (e) {
          throw new Error(`post: ${e instanceof Error ? e.message : String(e)}`);
        }
        break;
      case 'movie': {
        if (!plain(x)) throw new Error('movie must be an object');
        if (!isInt(1)(x.window) || !isInt(1)(x.step) || !isNum(1e-3)(x.renderPxNm))
          throw new Error('movie.window and movie.step must be whole numbers ≥ 1, movie.renderPxNm > 0');
        const roi = x.roi ?? null;
        if (
          roi !== null &&
          !(
            plain(roi) &&
            ['x0', 'y0', 'x1', 'y1'].every((c) => isInt(0)(roi[c])) &&
            Object.keys(roi).length === 4
          )
        )
          throw new Error('movie.roi must be null or {x0, y0, x1, y1} in camera pixels');
        out.movie = {
          window: x.window as number,
          step: x.step as number,
          renderPxNm: x.renderPxNm as number,
          sigma: checkSigma(x.sigma),
          roi: roi as MovieParams['roi'],
        };
        break;
      }
      case 'binarize':
        out.binarize = section<BinarizeLink>(binarizeSchema, x, 'binarize');
        break;
      case 'tracks':
        out.tracks = section<Partial<TracksParams>>(tracksSchema, x, 'tracks');
        break;
      case 'markers':
        out.markers = section<MarkersParams>(markersSchema, x, 'markers');
        break;
      case 'meta':
        out.meta = section<MetaOverrides>(metaSchema, x, 'meta');
        break;
      case 'stack':
        out.stack = section<string>(str({ max: 512 }), x, 'stack');
        break;
      case 'results':
        out.results = section<StepId[]>(arr(schemaOneOf(STEPS), { max: STEPS.length }), x, 'results');
        break;
      default:
        throw new Error(`unknown field "${k.slice(0, 40)}"`);
    }
  }
  return out;
}

/** `#s=…` for the current parameters and view; defaults are left out to keep links short. */
export function linkHash(): string {
  const ui = uiStore.getState();
  const st: LinkState = { step: ui.activeStep, view: ui.centreView };
  const frame = viewerStore.getState().frame;
  if (frame > 0) st.frame = frame;
  const settings = localizeParamsStore.getState().settings;
  const changed: Record<string, unknown> = {};
  for (const k of Object.keys(settings) as (keyof LocalizeSettings)[])
    if (JSON.stringify(settings[k]) !== JSON.stringify(DEFAULT_SETTINGS[k])) changed[k] = settings[k];
  if (Object.keys(changed).length) st.localize = changed as Partial<LocalizeSettings>;
  const post = postStore.getState().steps;
  if (post.length) st.post = post;
  const m = movieStore.getState();
  st.movie = m.params;
  const binarize: BinarizeLink = {
    method: m.method,
    sampleFrames: m.sampleFrames,
    manualThreshold: m.manualThreshold,
    smoothSigmaPx: m.smoothSigmaPx,
    connectivity: m.connectivity,
  };
  if (JSON.stringify(binarize) !== JSON.stringify(BINARIZE_DEFAULTS)) st.binarize = binarize;
  const tracks = tracksStore.getState().params;
  if (tracks) st.tracks = tracks;
  const markers = markersStore.getState().params;
  if (markers) st.markers = markers;
  const active = activeStack(dataStore.getState());
  if (active) st.stack = active.info.name;
  if (active && Object.keys(active.overrides).length) st.meta = active.overrides;
  const results = resultSteps();
  if (results.length) st.results = results;
  return `#s=${encodeURIComponent(JSON.stringify(st))}`;
}

/** Steps whose results are on screen now (what a link cannot carry). */
function resultSteps(): StepId[] {
  const out: StepId[] = [];
  if (locsStore.getState().count > 0) out.push('localize');
  if (postStore.getState().steps.length && locsStore.getState().count > 0) out.push('post');
  if (movieStore.getState().built) out.push('movie');
  const t = tracksStore.getState();
  if (t.tracks || t.distances) out.push('tracks');
  if (markersStore.getState().result) out.push('markers');
  if (calciumStore.getState().result) out.push('calcium');
  return out;
}

const STEP_NAMES: Record<StepId, string> = {
  data: 'Data',
  localize: 'Localize',
  post: 'Post-process',
  movie: 'Movie',
  tracks: 'Tracks & distances',
  markers: 'EV markers',
  calcium: 'Ca²⁺ response',
  experiment: 'Experiment',
  session: 'Session',
};

/**
 * What the reviewer must open to see the results a link refers to: the link carries parameters
 * only. Null when it names no results (a pure parameter preset).
 */
export function linkNotice(
  st: LinkState,
  openStack: string | null,
): { title: string; message: string } | null {
  const results = st.results ?? [];
  if (!results.length) return null;
  const steps = results.map((r) => STEP_NAMES[r]).join(', ');
  const name = st.stack ? `"${st.stack}"` : 'the acquisition it was made on';
  const message =
    st.stack && openStack === st.stack
      ? `The stack ${name} is open: run ${steps} with these parameters to see the results, or open the session file.`
      : `To see them, open the session file, or open the stack ${name} and run ${steps}.`;
  return {
    title: `This link carries parameters only: no results (${steps})`,
    message,
  };
}

export type ParsedLink = { ok: true; state: LinkState } | { ok: false; error: string } | null;

/** The link state in a location hash, null when there is none. */
export function parseLinkHash(hash: string): ParsedLink {
  const m = /^#s=(.*)$/s.exec(hash);
  if (!m) return null;
  if (m[1].length > MAX_LINK_CHARS)
    return { ok: false, error: `the link is longer than ${MAX_LINK_CHARS} characters` };
  try {
    return { ok: true, state: checkLink(JSON.parse(decodeURIComponent(m[1]))) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export function applyLink(st: LinkState): void {
  if (st.localize) localizeParamsStore.getState().load({ ...DEFAULT_SETTINGS, ...st.localize });
  if (st.post) postStore.getState().setSteps(st.post);
  if (st.movie) movieStore.getState().setParams(st.movie);
  if (st.binarize) movieStore.setState({ ...st.binarize, threshold: null, result: null });
  const active = activeStack(dataStore.getState());
  // Metadata corrections, tracks and marker parameters belong to a stack: they apply to the one open.
  if (active && st.meta)
    for (const [k, v] of Object.entries(st.meta) as [OverrideKey, MetaOverrides[OverrideKey]][])
      dataStore.getState().setOverride(active.info.id, k, v);
  if (active && st.tracks) {
    tracksStore.getState().forStack(active.info);
    tracksStore.getState().setParams(st.tracks);
  }
  if (active && st.markers) {
    markersStore.getState().forStack(active.info);
    markersStore.setState({ params: st.markers });
  }
  if (st.step) uiStore.getState().setActiveStep(st.step);
  if (st.view) uiStore.getState().setCentreView(st.view);
  if (st.frame !== undefined) viewerStore.getState().setFrame(st.frame);
}

/** `?session=<url>` checked: the same-site URL to fetch and the file's name, or why not. */
export type SessionFileLink =
  | { ok: true; url: URL; name: string }
  | { ok: false; title: string; message: string; hint?: string };

function fileNameOf(url: URL): string {
  const last = url.pathname.split('/').pop() || 'session file';
  try {
    return decodeURIComponent(last).slice(0, 200);
  } catch {
    // A malformed escape (%E0%A4%A) names the file as written rather than throwing.
    return last.slice(0, 200);
  }
}

export function parseSessionFileLink(
  link: string,
  location: { href: string; origin: string },
): SessionFileLink {
  let url: URL;
  try {
    url = new URL(link, location.href);
  } catch {
    return { ok: false, title: 'The session link is not a URL', message: link.slice(0, 200) };
  }
  const name = fileNameOf(url);
  if (url.origin !== location.origin)
    return {
      ok: false,
      title: `Could not open ${name}`,
      message: `Session files are only fetched from this site (${location.origin}), not from ${url.origin}.`,
      hint: 'Download the file and drop it on the window instead.',
    };
  return { ok: true, url, name };
}
