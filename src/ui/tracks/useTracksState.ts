// The Tracks & distances step's label in the pipeline: not run / running 40 % / 12 tracks · distances / stale.
import { activeStack, useData } from '../../state/dataStore';
import { distancesStale, tracksStale, useTracks } from '../../state/tracksStore';

export function useTracksState(): string {
  const st = useData(activeStack);
  const running = useTracks((s) => s.running);
  const progress = useTracks((s) => s.progress);
  const n = useTracks((s) => (s.tracksStackId === st?.info.id ? s.tracks?.summary.length : undefined));
  const hasDist = useTracks((s) => s.distances !== null);
  const stale = useTracks((s) => tracksStale(s) || distancesStale(s));
  const failed = useTracks((s) => s.trackStatus === 'failed' || s.distanceStatus === 'failed');
  if (running)
    return progress
      ? `${running} ${Math.round((100 * progress.done) / Math.max(1, progress.total))} %`
      : running;
  if (n !== undefined) return `${n} tracks${hasDist ? ' · distances' : ''}${stale ? ' · stale' : ''}`;
  if (failed) return 'failed';
  return st ? 'not run' : 'no data';
}
