// Parameter inputs of the Localize panel: a number typed as text, checked as you type, committed
// on Enter or when leaving the field; a refused value shows its reason and is not applied.
import { useEffect, useId, useState } from 'react';

export interface NumberSpec {
  label: string;
  /** Shown after the label, e.g. "nm". */
  unit?: string;
  hint: string;
  min?: number;
  /** Whether `min` itself is allowed (default true). */
  minInclusive?: boolean;
  max?: number;
  integer?: boolean;
  /** Empty text means null (e.g. "auto", "whole stack"). */
  emptyLabel?: string;
}

export function parseNumber(
  spec: NumberSpec,
  text: string,
): { ok: true; value: number | null } | { ok: false; reason: string } {
  const t = text.trim();
  if (t === '') {
    return spec.emptyLabel !== undefined
      ? { ok: true, value: null }
      : { ok: false, reason: 'A value is needed.' };
  }
  const v = Number(t.replace(',', '.'));
  if (!Number.isFinite(v)) return { ok: false, reason: `“${t}” is not a number.` };
  if (spec.integer && !Number.isInteger(v)) return { ok: false, reason: 'Must be a whole number.' };
  const unit = spec.unit ? ` ${spec.unit}` : '';
  if (spec.min !== undefined && (spec.minInclusive === false ? v <= spec.min : v < spec.min))
    return { ok: false, reason: `Must be ${spec.minInclusive === false ? '>' : '≥'} ${spec.min}${unit}.` };
  if (spec.max !== undefined && v > spec.max) return { ok: false, reason: `Must be ≤ ${spec.max}${unit}.` };
  return { ok: true, value: v };
}

export function NumberField({
  spec,
  value,
  placeholder,
  onCommit,
  testId,
}: {
  spec: NumberSpec;
  value: number | null;
  placeholder?: string;
  onCommit: (v: number | null) => void;
  testId?: string;
}) {
  const id = useId();
  const shown = value === null ? '' : String(value);
  const [text, setText] = useState(shown);
  const [reason, setReason] = useState<string | null>(null);
  useEffect(() => {
    setText(shown);
    setReason(null);
  }, [shown]);
  const commit = () => {
    const p = parseNumber(spec, text);
    if (!p.ok) return setReason(p.reason);
    setReason(null);
    if (p.value !== value) onCommit(p.value);
  };
  return (
    <div className="field" title={spec.hint}>
      <label htmlFor={id}>
        {spec.label}
        {spec.unit ? <span className="unit"> ({spec.unit})</span> : null}
      </label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        className="num"
        value={text}
        placeholder={placeholder ?? spec.emptyLabel}
        data-testid={testId}
        aria-invalid={reason !== null}
        aria-describedby={reason ? `${id}-err` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const p = parseNumber(spec, e.target.value);
          setReason(p.ok ? null : p.reason);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setText(shown);
            setReason(null);
          }
        }}
      />
      {reason && (
        <span id={`${id}-err`} className="invalid" role="alert">
          {reason}
        </span>
      )}
    </div>
  );
}

export function SelectField<T extends string>({
  label,
  hint,
  value,
  options,
  onChange,
}: {
  label: string;
  hint: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (v: T) => void;
}) {
  const id = useId();
  return (
    <div className="field" title={hint}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
