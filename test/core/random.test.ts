import { describe, expect, test } from 'vitest';
import { logFactorial, Rng } from '../../src/core/random';

function moments(draw: () => number, n: number) {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = draw();
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

describe('Rng', () => {
  test('is deterministic per (seed, stream) and differs between streams', () => {
    const a = new Rng(42, 3);
    const b = new Rng(42, 3);
    const c = new Rng(42, 4);
    const va = [a.nextU32(), a.nextU32()];
    expect([b.nextU32(), b.nextU32()]).toEqual(va);
    expect([c.nextU32(), c.nextU32()]).not.toEqual(va);
  });

  test('uniform, normal, exponential have the right moments', () => {
    const r = new Rng(1);
    const u = moments(() => r.uniform(), 200_000);
    expect(u.mean).toBeCloseTo(0.5, 2);
    expect(u.variance).toBeCloseTo(1 / 12, 3);
    const n = moments(() => r.normal(), 200_000);
    expect(Math.abs(n.mean)).toBeLessThan(0.01);
    expect(n.variance).toBeCloseTo(1, 1);
    const e = moments(() => r.exponential(3), 200_000);
    expect(e.mean / 3).toBeCloseTo(1, 1);
  });

  test.each([0.3, 4, 12, 100, 5000])('Poisson(%d) has mean = variance = λ', (lambda) => {
    const r = new Rng(7);
    const m = moments(() => r.poisson(lambda), 100_000);
    expect(Math.abs(m.mean / lambda - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.variance / lambda - 1)).toBeLessThan(0.04);
  });

  test.each([0.5, 1, 20])('Gamma(%d, 2) has mean kθ and variance kθ²', (k) => {
    const r = new Rng(9);
    const m = moments(() => r.gamma(k, 2), 100_000);
    expect(Math.abs(m.mean / (2 * k) - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.variance / (4 * k) - 1)).toBeLessThan(0.05);
  });

  test('logFactorial is exact on the table and continuous into Stirling', () => {
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 12);
    let exact = 0;
    for (let i = 2; i <= 300; i++) exact += Math.log(i);
    expect(logFactorial(300)).toBeCloseTo(exact, 8);
  });
});
