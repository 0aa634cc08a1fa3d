// The Localize step's state as the pipeline shows it: not run / running 40 % / done · 61,234
// locs / stale (the parameters or the stack's metadata changed after the run).
import { useCameraMaps } from '../../state/cameraMapsStore';
import { activeStack, useData } from '../../state/dataStore';
import { isLocalizeRecord } from '../../state/localizeActions';
import { planRun, useLocalizeParams } from '../../state/localizeParamsStore';
import { type RunProgress, useLocs } from '../../state/locsStore';

// toLocaleString builds a formatter per call: the live panel formats counts many times a second.
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - 60 * m);
  return m < 60 ? `${m} min ${s} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function percent(p: RunProgress | null): number {
  return p && p.framesTotal > 0 ? Math.floor((100 * p.framesDone) / p.framesTotal) : 0;
}

/** True when the finished run's inputs differ from what a run now would use. */
export function useIsStale(): boolean {
  const params = useLocs((s) => s.params);
  const status = useLocs((s) => s.status);
  const st = useData(activeStack);
  const settings = useLocalizeParams((s) => s.settings);
  const maps = useCameraMaps((s) => (st ? s.byStack[st.info.id] : undefined));
  if (status === 'running' || status === 'idle' || !isLocalizeRecord(params)) return false;
  if (!st || st.info.id !== params.plan.stackId) return true;
  const now = planRun(settings, st, maps);
  return !now.ok || now.plan.signature !== params.signature;
}

export function useLocalizeStateLabel(): string {
  const status = useLocs((s) => s.status);
  const progress = useLocs((s) => s.progress);
  const count = useLocs((s) => s.count);
  const params = useLocs((s) => s.params);
  const stale = useIsStale();
  if (status === 'running') return `running ${percent(progress)} %`;
  if (status === 'idle') return 'not run';
  if (!isLocalizeRecord(params)) return `loaded · ${formatCount(count)} locs`;
  if (status === 'failed') return 'failed';
  if (stale) return 'stale';
  return `${status === 'cancelled' ? 'cancelled' : 'done'} · ${formatCount(count)} locs`;
}
