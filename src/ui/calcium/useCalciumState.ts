// The Ca²⁺ step's label in the pipeline: not run / running 40 % / 14/30 respond / stale.
import { useCalcium } from '../../state/calciumStore';
import { activeStack, useData } from '../../state/dataStore';

export function useCalciumState(): string {
  const st = useData(activeStack);
  const status = useCalcium((s) => s.status);
  const progress = useCalcium((s) => s.progress);
  const summary = useCalcium((s) => s.result?.summary);
  const stale = useCalcium((s) => s.stale);
  if (status === 'running')
    return progress
      ? `running ${Math.round((100 * progress.framesDone) / Math.max(1, progress.frameCount))} %`
      : 'running';
  if (status === 'preparing') return 'finding cells';
  if (summary) return stale ? 'stale' : `${summary.responders}/${summary.cells} respond`;
  if (status === 'failed') return 'failed';
  return st ? 'not run' : 'no data';
}
