// Shareable links: parameters and view state (never data) in the URL hash as `#s=<compact JSON>`.
// A link is untrusted input like a session file: every field is checked, unknown ones refused,
// and a bad link leaves the workbench as it is with a notice saying what was wrong.
import { type PostStep, parsePipeline } from '../core/locs/pipeline';
import type { MovieSigma } from '../core/movie/slidingMovie';
import { DEFAULT_SETTINGS, type LocalizeSettings, localizeParamsStore } from './localizeParamsStore';
import type { MovieParams } from './movieParams';
import { movieStore } from './movieStore';
import { postStore } from './postStore';
import { type CentreViewId, type StepId, uiStore } from './uiStore';
import { viewerStore } from './viewerStore';

export interface LinkState {
  step?: StepId;
  view?: CentreViewId;
  frame?: number;
  localize?: Partial<LocalizeSettings>;
  post?: PostStep[];
  movie?: MovieParams;
}

export const MAX_LINK_CHARS = 16_000;
const STEPS: StepId[] = ['data', 'localize', 'post', 'movie', 'tracks', 'markers', 'session'];
const VIEWS: CentreViewId[] = ['raw', 'reconstruction', 'movie', 'markers'];

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
  st.movie = movieStore.getState().params;
  return `#s=${encodeURIComponent(JSON.stringify(st))}`;
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
