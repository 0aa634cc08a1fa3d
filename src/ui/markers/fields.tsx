// The calcium panel's number rules on top of the shared field set (src/ui/forms): a rule is
// turned into the schema the shared field checks with, so messages and behaviour are the same
// as in every other panel. New panels pass their parameter set's schema to forms/fields directly.

import { v } from '../../core/schema';
import type { NumberSchema } from '../forms/fieldCheck';
import { type NumberFieldProps, NumberField as SharedNumberField } from '../forms/fields';

export { SelectField } from '../forms/fields';

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
  /** Strictly above min. */
  exclusiveMin?: boolean;
  /** Empty text means "automatic" (undefined). */
  optional?: boolean;
}

function ruleSchema(rule: NumberRule): NumberSchema<number | undefined> {
  const lo = rule.min ?? -Number.MAX_VALUE;
  const checks = [
    ...(rule.integer ? [v.integer()] : []),
    rule.exclusiveMin ? v.gtValue(lo) : v.minValue(lo),
    v.maxValue(rule.max ?? Number.MAX_VALUE),
  ];
  const pipe = v.pipe as unknown as (...items: unknown[]) => v.GenericSchema;
  const base = pipe(v.number(), v.finite(), ...checks);
  return (rule.optional ? v.optional(base) : base) as NumberSchema<number | undefined>;
}

type Props = Omit<NumberFieldProps<number | undefined>, 'schema' | 'onCommit' | 'live'> & {
  rule: NumberRule;
  onCommit(v: number | undefined): void;
};

export function NumberField({ rule, onCommit, ...rest }: Props) {
  return <SharedNumberField {...rest} live schema={ruleSchema(rule)} onCommit={onCommit} />;
}
