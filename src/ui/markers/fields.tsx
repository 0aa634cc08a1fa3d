// Small labelled inputs for the EV-marker panel: numbers keep the user's text while it is being
// typed and are committed only when valid; an invalid value is refused with its reason.
import { useEffect, useId, useState } from 'react';

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
  /** Strictly above min. */
  exclusiveMin?: boolean;
  /** Empty text means "automatic" (undefined). */
  optional?: boolean;
}

export function checkNumber(text: string, rule: NumberRule): { value?: number; reason?: string } {
  const t = text.trim();
  if (t === '') return rule.optional ? { value: undefined } : { reason: 'A number is needed.' };
  const v = Number(t);
  if (!Number.isFinite(v)) return { reason: `"${t}" is not a number.` };
  if (rule.integer && !Number.isInteger(v)) return { reason: 'Must be a whole number.' };
  if (rule.min !== undefined && (rule.exclusiveMin ? v <= rule.min : v < rule.min))
    return { reason: `Must be ${rule.exclusiveMin ? '>' : '≥'} ${rule.min}.` };
  if (rule.max !== undefined && v > rule.max) return { reason: `Must be ≤ ${rule.max}.` };
  return { value: v };
}

interface NumberFieldProps {
  label: string;
  hint: string;
  value: number | undefined;
  rule: NumberRule;
  onCommit(v: number | undefined): void;
  placeholder?: string;
  /** Shown instead of the label (for table cells); the label stays the accessible name. */
  compact?: boolean;
  testId?: string;
}

export function NumberField({
  label,
  hint,
  value,
  rule,
  onCommit,
  placeholder,
  compact,
  testId,
}: NumberFieldProps) {
  const id = useId();
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const [reason, setReason] = useState<string | null>(null);
  useEffect(() => {
    setText(value === undefined ? '' : String(value));
    setReason(null);
  }, [value]);
  const input = (
    <input
      id={id}
      type="text"
      inputMode="decimal"
      value={text}
      placeholder={placeholder}
      aria-label={compact ? label : undefined}
      aria-invalid={reason ? 'true' : undefined}
      aria-describedby={reason ? `${id}-err` : undefined}
      title={hint}
      data-testid={testId}
      onChange={(e) => {
        setText(e.target.value);
        const r = checkNumber(e.target.value, rule);
        setReason(r.reason ?? null);
        if (!r.reason && r.value !== value) onCommit(r.value);
      }}
      onBlur={() => {
        if (reason) {
          setText(value === undefined ? '' : String(value));
          setReason(null);
        }
      }}
    />
  );
  if (compact)
    return (
      <span className="mk-cell-field">
        {input}
        {reason && (
          <span id={`${id}-err`} className="mk-invalid" role="alert">
            {reason}
          </span>
        )}
      </span>
    );
  return (
    <div className="mk-field">
      <label htmlFor={id} title={hint}>
        {label}
      </label>
      {input}
      {reason && (
        <span id={`${id}-err`} className="mk-invalid" role="alert">
          {reason}
        </span>
      )}
    </div>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
  hint: string;
  value: T;
  options: { value: T; label: string }[];
  onChange(v: T): void;
  testId?: string;
}

export function SelectField<T extends string>({
  label,
  hint,
  value,
  options,
  onChange,
  testId,
}: SelectFieldProps<T>) {
  const id = useId();
  return (
    <div className="mk-field">
      <label htmlFor={id} title={hint}>
        {label}
      </label>
      <select
        id={id}
        value={value}
        title={hint}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value as T)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
