import { expect, test } from 'vitest';
import { FilterError, filterMask, parseFilter, validateFilter } from '../../../src/core/locs/filterExpr';
import { locTableFromColumns } from '../../../src/core/locs/table';

const t = locTableFromColumns({
  frame: Uint32Array.from([0, 1, 2, 3, 4, 5]),
  x: Float64Array.from([100, 200, 300, 400, 500, 600]),
  photons: Float32Array.from([300, 600, 900, 450, 1200, 700]),
  precision: Float32Array.from([25, 15, 8, Number.NaN, 30, 19.5]),
  sigma: Float32Array.from([70, 80, 150, 200, 201, 120]),
});
const keep = (e: string) => [...filterMask(t, e)];

test('comparisons, logic and missing values', () => {
  expect(keep('photons > 500 && precision < 20')).toEqual([0, 1, 1, 0, 0, 1]);
  expect(keep('photons <= 450 || frame == 5')).toEqual([1, 0, 0, 1, 0, 1]);
  // NaN precision compares false either way, and !(false) keeps it only via negation.
  expect(keep('precision >= 0')).toEqual([1, 1, 1, 0, 1, 1]);
  expect(keep('!(precision < 20)')).toEqual([1, 0, 0, 1, 1, 0]);
  expect(keep('frame != 2')).toEqual([1, 1, 0, 1, 1, 1]);
});

test('ranges are inclusive; arithmetic and functions', () => {
  expect(keep('sigma in [80, 200]')).toEqual([0, 1, 1, 1, 0, 1]);
  expect(keep('abs(x - 350) < 100')).toEqual([0, 0, 1, 1, 0, 0]);
  expect(keep('sqrt(photons) * 2 >= 60')).toEqual([0, 0, 1, 0, 1, 0]);
  expect(keep('max(x, 450, photons - 400) == x')).toEqual([0, 0, 0, 0, 0, 1]);
  expect(keep('log(exp(frame)) > 2.5')).toEqual([0, 0, 0, 1, 1, 1]);
  expect(keep('min(x, photons) == x')).toEqual([1, 1, 1, 1, 1, 1]);
  expect(keep('x / 100 - 1 == frame')).toEqual([1, 1, 1, 1, 1, 1]);
  expect(keep('-x < -450')).toEqual([0, 0, 0, 0, 1, 1]);
  expect(keep('1.5e3 > photons')).toEqual([1, 1, 1, 1, 1, 1]);
});

test('precedence: * over +, comparison over &&, && over ||, ! binds tightest', () => {
  expect(keep('frame + 2 * 2 == 6')).toEqual([0, 0, 1, 0, 0, 0]);
  expect(keep('(frame + 2) * 2 == 6')).toEqual([0, 1, 0, 0, 0, 0]);
  // a || b && c is a || (b && c).
  expect(keep('frame == 0 || frame > 3 && photons > 1000')).toEqual([1, 0, 0, 0, 1, 0]);
  expect(keep('(frame == 0 || frame > 3) && photons > 1000')).toEqual([0, 0, 0, 0, 1, 0]);
  expect(keep('!frame == 0')).toEqual([0, 1, 1, 1, 1, 1]); // (!frame) == 0
  expect(keep('10 - 4 - 3 == 3')).toEqual([1, 1, 1, 1, 1, 1]); // left-associative
  expect(keep('8 / 4 / 2 == frame')).toEqual([0, 1, 0, 0, 0, 0]);
});

test('masks chain by AND without touching the table', () => {
  const m = filterMask(t, 'photons > 500');
  filterMask(t, 'frame < 4', m);
  expect([...m]).toEqual([0, 1, 1, 0, 0, 0]);
  expect(t.length).toBe(6);
});

test('clear errors with positions', () => {
  const cols = Object.keys(t.columns);
  const err = (e: string) => {
    const r = validateFilter(e, cols);
    expect(r).toBeInstanceOf(FilterError);
    return r as FilterError;
  };
  expect(err('photon > 5').message).toMatch(/unknown column "photon".*position 1/);
  expect(err('photons > ').message).toMatch(/expected a number.*end of expression/);
  expect(err('photons = 5').position).toBe(8);
  expect(err('x < 1 < 2').message).toMatch(/do not chain/);
  expect(err('(x < 1').message).toMatch(/expected "\)"/);
  expect(err('sqrt(x, 2)').message).toMatch(/takes 1 argument/);
  expect(err('x & 1').message).toMatch(/use "&&"/);
  expect(err('').message).toMatch(/empty/);
  expect(err('3x > 1').message).toMatch(/malformed number/);
  expect(err('x in [1 2]').message).toMatch(/","/);
  expect(validateFilter('photons > 500 && precision < 20', cols)).toBeNull();
});

test('injection attempts are refused at parse time', () => {
  const cols = Object.keys(t.columns);
  for (const evil of [
    'constructor',
    '__proto__',
    'x; alert(1)',
    'constructor.constructor("alert(1)")()',
    'x.constructor',
    'toString > 0',
    'hasOwnProperty(x)',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template literal is the attack being tested
    '`${x}`',
    "x == 'a'",
    'alert(1)',
    'x => 1',
    'x[0]',
    '(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((x)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))',
  ]) {
    expect(() => filterMask(t, evil), evil).toThrow(FilterError);
  }
  // A table whose columns object has a prototype chain still cannot reach it.
  expect(() => parseFilter('__proto__ > 0', cols)).toThrow(/unknown column "__proto__"/);
  expect(() => parseFilter('constructor > 0', cols)).toThrow(/unknown column "constructor"/);
});
