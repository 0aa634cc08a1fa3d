// Shareable links: every step's parameters and the view (never data) in the URL hash as
// `#s=<compact JSON>`, plus the stack they were made on and which steps had results, so the
// reviewer is told plainly what the link does not carry and what to open. A link is untrusted
// input like a session file: every field is checked, unknown ones refused, and a bad link leaves
// the workbench as it is with a notice saying what was wrong.

import { TracksParamsSchema } from '../core/coloc/schema';
import { MarkersParamsSchema } from '../core/ev/schema';
import { LocalizeSettingsSchema } from '../core/localize/settings';
import { type PostStep, PostStepsSchema } from '../core/locs/pipeline';
import {
  type BinarizeParams,
  BinarizeSchema,
  DEFAULT_BINARIZE,
  MovieParamsSchema,
} from '../core/movie/params';
import { intIn, parseOrThrow, text, v } from '../core/schema';
import { MetaOverridesSchema } from '../core/stack/metaOverrides';
import { calciumStore } from './calciumStore';
import { activeStack, dataStore, type MetaOverrides, type OverrideKey } from './dataStore';
import { DEFAULT_SETTINGS, type LocalizeSettings, localizeParamsStore } from './localizeParamsStore';
import { locsStore } from './locsStore';
import type { MarkersParams } from './markersParams';
import { markersStore } from './markersStore';
import type { MovieParams } from './movieParams';
import { movieStore } from './movieStore';
import { postStore } from './postStore';
import type { TracksParams } from './tracksParams';
import { tracksStore } from './tracksStore';
import { CENTRE_VIEW_IDS, type CentreViewId, STEP_IDS, type StepId, uiStore } from './uiStore';
import { viewerStore } from './viewerStore';

/** The Movie step's binarization (structure analysis) settings. */
export type BinarizeLink = BinarizeParams;

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

/** Every section through its parameter set's schema; unknown fields are refused. */
const LinkSchema = v.strictObject({
  step: v.optional(v.picklist(STEP_IDS)),
  view: v.optional(v.picklist(CENTRE_VIEW_IDS)),
  frame: v.optional(intIn(0)),
  localize: v.optional(v.strictObject(v.partial(LocalizeSettingsSchema).entries)),
  post: v.optional(PostStepsSchema),
  movie: v.optional(v.strictObject(MovieParamsSchema.entries)),
  binarize: v.optional(v.strictObject(BinarizeSchema.entries)),
  tracks: v.optional(v.strictObject(v.partial(TracksParamsSchema).entries)),
  markers: v.optional(v.strictObject(MarkersParamsSchema.entries)),
  meta: v.optional(v.strictObject(MetaOverridesSchema.entries)),
  stack: v.optional(text(512)),
  results: v.optional(v.pipe(v.array(v.picklist(STEP_IDS)), v.maxLength(STEP_IDS.length))),
});

/** Checks a decoded link; throws with the first problem, in words. */
export function checkLink(x: unknown): LinkState {
  // valibot reads an array's indices as an object's keys.
  if (Array.isArray(x)) throw new Error('expected an object, got a list');
  return parseOrThrow(LinkSchema, x, '');
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
  if (JSON.stringify(binarize) !== JSON.stringify(DEFAULT_BINARIZE)) st.binarize = binarize;
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
