import { expect, test } from 'vitest';
import { META_FIELDS, parseField } from '../../../src/ui/data/validate';

const field = (key: string) => META_FIELDS.find((f) => f.key === key)!;

test('empty means "use the file value"; numbers in range are accepted', () => {
  expect(parseField(field('pixelSizeNm'), '  ')).toEqual({ ok: true, value: undefined });
  expect(parseField(field('pixelSizeNm'), '107.5')).toEqual({ ok: true, value: 107.5 });
  expect(parseField(field('offsetAdu'), '0')).toEqual({ ok: true, value: 0 });
  expect(parseField(field('emGain'), '1')).toEqual({ ok: true, value: 1 });
});

test('invalid values are refused with a reason', () => {
  expect(parseField(field('pixelSizeNm'), '0')).toEqual({ ok: false, reason: 'Must be greater than 0.' });
  expect(parseField(field('pixelSizeNm'), 'abc')).toMatchObject({ ok: false });
  expect(parseField(field('emGain'), '0.5')).toEqual({ ok: false, reason: 'Must be at least 1.' });
  expect(parseField(field('frameIntervalMs'), '-3')).toMatchObject({ ok: false });
  expect(parseField(field('pixelSizeNm'), '1e9')).toEqual({ ok: false, reason: 'Must be at most 10,000.' });
});

test('every label carries its unit', () => {
  for (const f of META_FIELDS) expect(f.label).toMatch(/\(.+\)/);
});
