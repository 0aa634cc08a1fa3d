// Small parameter inputs: a number with its unit in the label, an explanation on hover, and a
// refusal with the reason when the value is out of range. Values commit on Enter or blur.
import { useEffect, useId, useState } from 'react';

interface NumProps {
  label: string;
  unit?: string;
  hint: string;
  value: number;
  min?: number;
  max?: number;
  integer?: boolean;
  onCommit(v: number): void;
  testId?: string;
}

export function checkNumber(text: string, p: Pick<NumProps, 'min' | 'max' | 'integer'>): string | null {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) return 'enter a number';
  if (p.integer && !Number.isInteger(v)) return 'must be a whole number';
  if (p.min !== undefined && v < p.min) return `must be ≥ ${p.min}`;
  if (p.max !== undefined && v > p.max) return `must be ≤ ${p.max}`;
  return null;
}

export function NumField(p: NumProps) {
  const id = useId();
  const [text, setText] = useState(String(p.value));
  useEffect(() => setText(String(p.value)), [p.value]);
  const error = checkNumber(text, p);
  const commit = () => {
    if (!error && Number(text) !== p.value) p.onCommit(Number(text));
  };
  return (
    <label className="field post-field" htmlFor={id} title={p.hint}>
      <span>
        {p.label}
        {p.unit ? ` (${p.unit})` : ''}
      </span>
      <input
        id={id}
        type="number"
        value={text}
        min={p.min}
        max={p.max}
        step={p.integer ? 1 : 'any'}
        aria-invalid={error ? 'true' : undefined}
        data-testid={p.testId}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      {error && <span className="invalid">{`${p.label}: ${error}`}</span>}
    </label>
  );
}
