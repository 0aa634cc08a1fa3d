// The movie panels' progress line with rate and ETA (their number fields are src/ui/forms').
import type { JobProgress } from '../../state/movieStore';
import { formatDuration } from './format';

export function ProgressLine({ p, unit, onCancel }: { p: JobProgress; unit: string; onCancel?: () => void }) {
  const elapsed = (performance.now() - p.startedAt) / 1000;
  const rate = elapsed > 0 ? p.done / elapsed : 0;
  const eta = rate > 0 ? (p.total - p.done) / rate : Number.NaN;
  return (
    <div className="movie-progress" role="status" aria-label={p.label}>
      <div className="row">
        <span>
          {p.label}: {p.done} / {p.total} {unit}
        </span>
        {onCancel && (
          <button type="button" className="btn small" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <progress max={Math.max(1, p.total)} value={p.done} />
      <div className="muted num">
        {rate > 0 ? `${rate.toFixed(rate < 10 ? 1 : 0)} ${unit}/s` : ''}
        {Number.isFinite(eta) && p.done < p.total ? ` · ${formatDuration(eta)} left` : ''}
      </div>
    </div>
  );
}
