// The fit's options (panel fields, evscope.fitRegistration) are checked by RegistrationFitSchema
// before any work: each refusal names the option, the value, the allowed range and the unit; the
// frames are then checked against the bead stack.
import { describe, expect, test } from 'vitest';
import type { LoadedStack } from '../../src/state/dataStore';
import { planFit } from '../../src/state/registrationActions';

const stack = {
  info: {
    id: 1,
    name: 'beads.tif',
    channels: 2,
    frameCount: 50,
    width: 64,
    height: 64,
    meta: { pixelSizeNm: 100 },
    recipe: { kind: 'files', inputs: ['a'] },
  },
  overrides: {},
} as unknown as LoadedStack;

const errors = (opts: object) => {
  const plan = planFit(stack, stack, opts);
  return plan.ok ? [] : plan.errors;
};

describe('registration fit options', () => {
  test('a value outside its limits is refused with the schema message, range and unit', () => {
    expect(errors({ thresholdFactor: 0 })).toEqual([
      'thresholdFactor: 0 is below the minimum (exclusive) 0 (allowed > 0 and ≤ 1000000 × noise σ)',
    ]);
    expect(errors({ frames: [0, 10] })).toEqual([
      'frames[0]: 0 is below the minimum 1 (allowed 1–2147483648 (1-based frame))',
    ]);
    expect(errors({ frames: [1, 2.5] })).toEqual(['frames[1]: expected a whole number, got 2.5']);
    expect(errors({ mode: 'median' })).toEqual(['mode: "median" is not one of "frames", "mean"']);
    expect(errors({ treshold: 3 })).toEqual(['unknown field "treshold"']);
  });

  test('frames within their limits are then checked against the bead stack', () => {
    expect(errors({ frames: [10, 60] })).toEqual([
      'Frames must be whole numbers with 1 ≤ first ≤ last ≤ 50 (got 10–60).',
    ]);
    expect(errors({ frames: [20, 10] })[0]).toMatch(/1 ≤ first ≤ last ≤ 50 \(got 20–10\)/);
  });
});
