// Small form pieces for the movie panels: a number field that refuses invalid text with a reason
// (the committed value only changes when the text is valid) and a progress line with rate and ETA.
import { useEffect, useState } from 'react';
import type { JobProgress } from '../../state/movieStore';
import { formatDuration } from './format';

export function NumField(props: {
  id: string;
  label: string;
  hint: string;
  value: number;
  /** A reason when invalid, else null. */
  check: (v: number) => string | null;
  onCommit: (v: number) => void;
  error?: string;
  disabled?: boolean;
}) {
  const { id, label, hint, value, check, onCommit, error, disabled } = props;
  const [text, setText] = useState(String(value));
  const [reason, setReason] = useState<string | null>(null);
  useEffect(() => {
    setText(String(value));
    setReason(null);
  }, [value]);
  const shown = reason ?? error ?? null;
  return (
    <div className="field" title={hint}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        className="num"
        value={text}
        disabled={disabled}
        aria-invalid={shown !== null}
        aria-describedby={shown ? `${id}-err` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          const r = e.target.value.trim() === '' || !Number.isFinite(v) ? 'Enter a number' : check(v);
          setReason(r);
          if (r === null) onCommit(v);
        }}
        onBlur={() => {
          if (reason) {
            setText(String(value));
            setReason(null);
          }
        }}
      />
      {shown && (
        <span id={`${id}-err`} className="invalid" role="alert">
          {shown}
        </span>
      )}
    </div>
  );
}

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
