import { expect, test } from 'vitest';
import { StackError } from '../../../src/core/stack/types';

test('a StackError names the file and the reason', () => {
  const e = new StackError('cells.tif', 'not a TIFF file');
  expect(e.message).toBe('cells.tif: not a TIFF file');
  expect(e).toBeInstanceOf(Error);
});
