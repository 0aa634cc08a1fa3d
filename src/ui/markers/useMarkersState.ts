// The EV markers step's label in the pipeline: not run / running 40 % / 96 EVs / stale.
import { activeStack, effectiveMeta, useData } from '../../state/dataStore';
import { isStale, useMarkers } from '../../state/markersStore';
import { useRegistration } from '../../state/registrationStore';

export function useMarkersState(): string {
  const st = useData(activeStack);
  const status = useMarkers((s) => s.status);
  const progress = useMarkers((s) => s.progress);
  const n = useMarkers((s) => s.result?.length);
  // A new registration makes the count stale: re-render when it changes.
  useRegistration((s) => s.byStack);
  const stale = useMarkers((s) => isStale(s, st ? effectiveMeta(st).pixelSizeNm : undefined));
  if (status === 'running')
    return progress
      ? `running ${Math.round((100 * progress.done) / Math.max(1, progress.total))} %`
      : 'running';
  if (n !== undefined) return stale ? 'stale' : `${n} EVs`;
  if (status === 'failed') return 'failed';
  return st ? 'not run' : 'no data';
}
