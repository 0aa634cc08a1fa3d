// Ground-truth comparison of the active simulated stack's localizations: the settings (match
// tolerance, channel), the latest result, and the loop that rescores — in the stack worker,
// throttled and latest-only — whenever localizations stream in or a setting changes.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { LocTable } from '../core/locs/table';
import { latestOnly } from '../engine/latestOnly';
import type { StackService, TruthComparison, TruthFrames } from '../engine/stackService';
import { activeStack, dataStore } from './dataStore';
import { registerResults } from './inputResults';
import { type LocsState, locsStore, locsTable } from './locsStore';
import { simulationParamsOf } from './simulationActions';

export const DEFAULT_TOLERANCE_NM = 250;

export type FrameScope = 'run' | 'span';

export interface TruthState {
  toleranceNm: number;
  /** The channel compared; null follows the localization run's channel (or 0). */
  channel: number | null;
  /**
   * Frames compared: 'run' — the run's frame range (or the whole stack); 'span' — first to last
   * frame with a localization (for a CSV that covers part of the stack).
   */
  frameScope: FrameScope;
  result: TruthComparison | null;
  /** Stack whose localizations `result` scores. */
  resultStackId: number | null;
  status: 'idle' | 'scoring' | 'done' | 'error';
  error: string | null;
  setTolerance(nm: number): void;
  setChannel(channel: number | null): void;
  setFrameScope(scope: FrameScope): void;
}

export const truthStore = createStore<TruthState>()((set) => ({
  toleranceNm: DEFAULT_TOLERANCE_NM,
  channel: null,
  frameScope: 'run',
  result: null,
  resultStackId: null,
  status: 'idle',
  error: null,
  setTolerance: (toleranceNm) => set({ toleranceNm }),
  setChannel: (channel) => set({ channel }),
  setFrameScope: (frameScope) => set({ frameScope }),
}));

// A score describes one input's localizations: it goes aside with them.
registerResults<TruthState>('truth', {
  store: truthStore,
  capture: ({ result, resultStackId, status, error }) => ({ result, resultStackId, status, error }),
  restore: (saved) => ({ result: null, resultStackId: null, status: 'idle', error: null, ...saved }),
});

export const useTruth = <T>(sel: (s: TruthState) => T): T => useStore(truthStore, sel);

/**
 * What a run says about itself: the Localize step records `{kind: 'localize', plan: {channel,
 * frames}}`; imported or scripted tables may carry `channel`/`frames` at the top level.
 */
function runPlan(params: unknown): { channel?: unknown; frames?: { start?: unknown; end?: unknown } } | null {
  if (!params || typeof params !== 'object') return null;
  const plan = (params as { plan?: unknown }).plan;
  return (plan && typeof plan === 'object' ? plan : params) as ReturnType<typeof runPlan>;
}

/** The channel the localizations came from, when the run's parameters say so. */
function runChannel(params: unknown): number | null {
  const c = runPlan(params)?.channel;
  return typeof c === 'number' && Number.isInteger(c) && c >= 0 ? c : null;
}

/** The channel compared: the user's choice, else the run's, else 0; always one the stack has. */
export function comparedChannel(
  s: Pick<TruthState, 'channel'>,
  locs: Pick<LocsState, 'params'>,
  channels: number,
) {
  const c = s.channel ?? runChannel(locs.params) ?? 0;
  return Math.min(Math.max(0, c), Math.max(0, channels - 1));
}

/**
 * Frames the localizations cover: the run's frame range when it states one, else the whole stack;
 * while a run streams (in frame order), only the frames done so far — the rest are not missed yet.
 */
export function comparedFrames(
  locs: Pick<LocsState, 'params' | 'status' | 'progress'>,
  frameCount: number,
): TruthFrames {
  const r = runPlan(locs.params)?.frames;
  let start = 0;
  let end = frameCount;
  if (r && typeof r.start === 'number' && typeof r.end === 'number' && r.end > r.start) {
    start = Math.max(0, r.start);
    end = Math.min(frameCount, r.end);
  }
  if (locs.status === 'running' && locs.progress) end = Math.min(end, start + locs.progress.framesDone);
  return { start, end };
}

/** First to last frame with a localization, [start, end). */
export function frameSpan(t: LocTable): TruthFrames {
  const f = t.columns.frame;
  if (!f || t.length === 0) return { start: 0, end: 0 };
  let lo = f[0];
  let hi = f[0];
  for (let i = 1; i < t.length; i++) {
    if (f[i] < lo) lo = f[i];
    else if (f[i] > hi) hi = f[i];
  }
  return { start: lo, end: hi + 1 };
}

/** Copies of the columns scoring needs, safe to transfer to the worker. */
export function scoringColumns(t: LocTable): LocTable {
  const columns: Record<string, LocTable['columns'][string]> = {};
  for (const name of ['frame', 'x', 'y', 'channel']) {
    const c = t.columns[name];
    if (c) columns[name] = c.slice(0, t.length);
  }
  return { length: t.length, columns };
}

interface ScoreRequest {
  key: string;
  stackId: number;
  channel: number;
  frames: TruthFrames;
  toleranceNm: number;
}

/** What should be scored now, or null when there is nothing to compare. */
function currentRequest(): ScoreRequest | null {
  const st = activeStack(dataStore.getState());
  const params = st ? simulationParamsOf(st.info) : null;
  const locs = locsStore.getState();
  if (!st || !params || locs.stackId !== st.info.id || locs.count === 0) return null;
  const t = truthStore.getState();
  const channel = comparedChannel(t, locs, params.channels.length);
  const frames = t.frameScope === 'span' ? frameSpan(locsTable()) : comparedFrames(locs, params.frames);
  if (frames.end <= frames.start) return null;
  const key = [st.info.id, locs.version, channel, frames.start, frames.end, t.toleranceNm].join('|');
  return { key, stackId: st.info.id, channel, frames, toleranceNm: t.toleranceNm };
}

/** Scores once, now (scripting); throws when the active stack has no truth or no localizations. */
export async function scoreNow(service: StackService, toleranceNm?: number): Promise<TruthComparison> {
  const st = activeStack(dataStore.getState());
  if (!st || !simulationParamsOf(st.info)) {
    throw new Error('the active stack has no ground truth: open or create a simulation first');
  }
  const locs = locsStore.getState();
  if (locs.stackId !== st.info.id || locs.count === 0) {
    throw new Error(`no localizations for ${st.info.name}: localize it or load a CSV first`);
  }
  const req = currentRequest()!;
  return service.scoreAgainstTruth(req.stackId, scoringColumns(locsTable()), {
    channel: req.channel,
    frames: req.frames,
    toleranceNm: toleranceNm ?? req.toleranceNm,
  });
}

let running: (() => void) | null = null;
let users = 0;

/**
 * Keeps `truthStore.result` up to date while at least one comparison panel is shown; returns a
 * function that stops it. Rescoring waits `delayMs` after a change so a streaming run is scored a
 * few times a second at most, and only the newest request runs after the one in flight.
 */
export function startTruthScoring(service: StackService, delayMs = 400): () => void {
  users++;
  if (!running) running = loop(service, delayMs);
  return () => {
    users--;
    if (users === 0 && running) {
      running();
      running = null;
    }
  };
}

function loop(service: StackService, delayMs: number): () => void {
  let lastKey: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const queue = latestOnly<ScoreRequest, TruthComparison>(
    (req) =>
      service.scoreAgainstTruth(req.stackId, scoringColumns(locsTable()), {
        channel: req.channel,
        frames: req.frames,
        toleranceNm: req.toleranceNm,
      }),
    (result, req) => {
      if (currentRequest()?.stackId !== req.stackId) return;
      truthStore.setState({ result, resultStackId: req.stackId, status: 'done', error: null });
    },
    (err) =>
      truthStore.setState({ status: 'error', error: err instanceof Error ? err.message : String(err) }),
  );
  const fire = () => {
    timer = null;
    const req = currentRequest();
    if (req && req.key !== lastKey) {
      lastKey = req.key;
      queue.request(req);
    }
  };
  const update = () => {
    const req = currentRequest();
    if (!req) {
      lastKey = null;
      queue.clear();
      if (timer) clearTimeout(timer);
      timer = null;
      if (truthStore.getState().result || truthStore.getState().status !== 'idle') {
        truthStore.setState({ result: null, resultStackId: null, status: 'idle', error: null });
      }
      return;
    }
    if (req.key === lastKey) return;
    if (truthStore.getState().status !== 'scoring') truthStore.setState({ status: 'scoring' });
    // Throttle, not debounce: a steady stream of chunks must still get scored along the way.
    if (!timer) timer = setTimeout(fire, lastKey === null ? 0 : delayMs);
  };
  const unsubs = [dataStore.subscribe(update), locsStore.subscribe(update), truthStore.subscribe(update)];
  update();
  return () => {
    for (const u of unsubs) u();
    if (timer) clearTimeout(timer);
    queue.clear();
  };
}
