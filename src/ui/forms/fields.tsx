// The parameter panels' field set. A number is typed as text and checked as you type by the
// parameter set's schema (see fieldCheck.ts); a refused value shows its reason and is not applied.
// `live` fields commit every valid keystroke (the movie's frame count follows the typing); the
// others commit on Enter or when leaving the field, and Escape puts the applied value back.
import { type ReactNode, type Ref, useEffect, useId, useRef, useState } from 'react';
import { checkNumberText, type NumberSchema } from './fieldCheck';

export interface NumberFieldProps<T extends number | null | undefined> {
  label: string;
  /** Shown after the label, e.g. "nm", and in the messages. */
  unit?: string;
  hint: string;
  /** null or undefined: empty (the schema must allow it: "auto", "from the file"). */
  value: number | null | undefined;
  /** The parameter's schema: its limits are the field's. */
  schema: NumberSchema<T>;
  onCommit(value: T): void;
  live?: boolean;
  placeholder?: string;
  id?: string;
  testId?: string;
  disabled?: boolean;
  /** A problem found outside the field (against the data), shown while the text is valid. */
  error?: string;
  /** Shown under the field when nothing is wrong (e.g. "File says 100"). */
  note?: ReactNode;
  /** Inside a table cell: no visible label (it stays the accessible name). */
  compact?: boolean;
  /** Told whether the text is a value the schema accepts (a form disables its submit meanwhile). */
  onValidity?(ok: boolean): void;
  className?: string;
}

const shownText = (value: number | null | undefined) =>
  value === null || value === undefined ? '' : String(value);

export function NumberField<T extends number | null | undefined>(p: NumberFieldProps<T>) {
  const autoId = useId();
  const id = p.id ?? autoId;
  const shown = shownText(p.value);
  const [text, setText] = useState(shown);
  const [reason, setReason] = useState<string | null>(null);
  const onValidity = useRef(p.onValidity);
  onValidity.current = p.onValidity;
  const refuse = (why: string | null) => {
    setReason(why);
    onValidity.current?.(why === null);
  };
  const revert = () => {
    setText(shown);
    refuse(null);
  };
  // A new value from outside (another stack, a preset): show it; a field that goes away is no
  // longer invalid.
  // biome-ignore lint/correctness/useExhaustiveDependencies: revert reads `shown`, the dependency
  useEffect(revert, [shown]);
  useEffect(() => () => onValidity.current?.(true), []);
  const check = (t: string) => {
    const c = checkNumberText(p.schema, t, p.unit);
    refuse(c.ok ? null : c.reason);
    return c;
  };
  const commit = (t: string) => {
    const c = check(t);
    if (c.ok && (c.value ?? null) !== (p.value ?? null)) p.onCommit(c.value);
  };
  const message = reason ?? p.error ?? null;
  const input = (
    <input
      id={id}
      type="text"
      inputMode="decimal"
      className="num"
      value={text}
      placeholder={p.placeholder}
      disabled={p.disabled}
      title={p.compact ? p.hint : undefined}
      aria-label={p.compact ? p.label : undefined}
      aria-invalid={message !== null}
      aria-describedby={message ? `${id}-err` : undefined}
      data-testid={p.testId}
      onChange={(e) => {
        setText(e.target.value);
        if (p.live) commit(e.target.value);
        else check(e.target.value);
      }}
      onBlur={() => (p.live ? reason && revert() : commit(text))}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit(text);
        if (e.key === 'Escape') revert();
      }}
    />
  );
  const below = message ? (
    <span id={`${id}-err`} className="invalid" role="alert">
      {message}
    </span>
  ) : (
    (p.note ?? null)
  );
  if (p.compact)
    return (
      <span className="cell-field">
        {input}
        {below}
      </span>
    );
  return (
    <div className={p.className ? `field ${p.className}` : 'field'} title={p.hint}>
      <label htmlFor={id}>
        {p.label}
        {p.unit ? <span className="unit"> ({p.unit})</span> : null}
      </label>
      {input}
      {below}
    </div>
  );
}

/** A panel's number fields by parameter: label, hover hint, and a test id or placeholder. */
export type FieldTable<P> = Partial<
  Record<
    keyof P & string,
    readonly [label: string, hint: string, extra?: { testId?: string; placeholder?: string }]
  >
>;

/**
 * Renders the field of one parameter: its text from the panel's table, its limits from the
 * parameter set's schema entries, its value from the parameters, and a change as a patch.
 */
export function paramFields<P extends object>(
  table: FieldTable<P>,
  entries: object,
  params: P,
  set: (patch: Partial<P>) => void,
  live = false,
) {
  return (key: keyof P & string) => {
    const [label, hint, extra] = table[key] ?? [key, ''];
    return (
      <NumberField
        key={key}
        live={live}
        label={label}
        hint={hint}
        {...extra}
        value={params[key] as number | null}
        schema={(entries as Record<string, NumberSchema>)[key]}
        onCommit={(v) => set({ [key]: v } as Partial<P>)}
      />
    );
  };
}

export interface SelectOption<T extends string> {
  value: T;
  label: string;
  disabled?: boolean;
}

export function SelectField<T extends string>(p: {
  label: string;
  hint: string;
  value: T;
  options: SelectOption<T>[];
  onChange(v: T): void;
  testId?: string;
  id?: string;
  disabled?: boolean;
  /** Shown under the field (e.g. "File says CCD"). */
  note?: ReactNode;
  className?: string;
  selectRef?: Ref<HTMLSelectElement>;
}) {
  const autoId = useId();
  const id = p.id ?? autoId;
  return (
    <div className={p.className ?? 'field'} title={p.hint}>
      <label htmlFor={id}>{p.label}</label>
      <select
        id={id}
        ref={p.selectRef}
        value={p.value}
        disabled={p.disabled}
        data-testid={p.testId}
        onChange={(e) => p.onChange(e.target.value as T)}
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
      {p.note ?? null}
    </div>
  );
}
