// Progress of the localization run: frames done, rate and time left.
import { useLocs } from '../../state/locsStore';
import { formatCount, formatEta, percent } from './runState';

export function RunProgressBar({ compact = false }: { compact?: boolean }) {
  const status = useLocs((s) => s.status);
  const p = useLocs((s) => s.progress);
  if (!p || (compact && status !== 'running')) return null;
  const pct = percent(p);
  const label = `${formatCount(p.framesDone)} / ${formatCount(p.framesTotal)} frames`;
  const rate = p.framesPerSecond > 0 ? `${p.framesPerSecond.toFixed(0)} frames/s` : '— frames/s';
  const eta = status === 'running' ? `${formatEta(p.etaSeconds)} left` : status;
  return (
    <div
      className={`run-progress ${compact ? 'compact' : ''}`}
      data-testid={compact ? 'status-progress' : 'run-progress'}
    >
      <progress max={100} value={pct} aria-label={`Localization ${pct} %`} />
      <span className="num">
        {compact ? `Localizing ${pct} % · ${rate} · ${eta}` : `${label} · ${rate} · ${eta}`}
      </span>
      {!compact && <span className="num muted">{formatCount(p.localizations)} localizations</span>}
    </div>
  );
}
