import { describe, expect, it } from 'vitest';
import { phaseRate } from '../../src/state/phaseRate';

describe('phaseRate', () => {
  it('measures the rate from the start of the current phase, and the time left at that rate', () => {
    const withRate = phaseRate<{ phase: string; done: number; total: number; elapsed: number }>();
    // First report of a phase: no time has passed in it yet, so no rate and no ETA.
    const a = withRate({ phase: 'detect', done: 0, total: 100, elapsed: 2 });
    expect(a.rate).toBe(0);
    expect(a.etaSeconds).toBeNaN();
    // 40 items in 4 s of this phase: 10/s, 60 left → 6 s.
    const b = withRate({ phase: 'detect', done: 40, total: 100, elapsed: 6 });
    expect(b).toMatchObject({ phase: 'detect', done: 40, total: 100, elapsed: 6, rate: 10, etaSeconds: 6 });
    // A new, slower phase restarts the clock: 5 items in 5 s → 1/s, 15 left → 15 s.
    withRate({ phase: 'steps', done: 0, total: 20, elapsed: 10 });
    const c = withRate({ phase: 'steps', done: 5, total: 20, elapsed: 15 });
    expect(c.rate).toBe(1);
    expect(c.etaSeconds).toBe(15);
  });
});
