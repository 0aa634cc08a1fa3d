import { expect, test } from 'vitest';
import { LruCache } from '../../workers/frameCache';

const arr = (n: number) => new Uint8Array(n);

test('evicts the least recently used entries once over budget', () => {
  const c = new LruCache<string, Uint8Array>(300, (a) => a.byteLength);
  c.set('a', arr(100));
  c.set('b', arr(100));
  c.set('c', arr(100));
  expect(c.get('a')).toBeDefined(); // a is now the most recent
  c.set('d', arr(100));
  expect(c.get('b')).toBeUndefined();
  expect(c.get('a')).toBeDefined();
  expect(c.get('c')).toBeDefined();
  expect(c.get('d')).toBeDefined();
  expect(c.bytes).toBe(300);
});

test('replacing a key frees its old size; oversized values are not kept', () => {
  const c = new LruCache<string, Uint8Array>(300, (a) => a.byteLength);
  c.set('a', arr(200));
  c.set('a', arr(50));
  expect(c.bytes).toBe(50);
  c.set('huge', arr(301));
  expect(c.get('huge')).toBeUndefined();
  expect(c.size).toBe(1);
});

test('deleteWhere drops matching keys only', () => {
  const c = new LruCache<string, Uint8Array>(1000, (a) => a.byteLength);
  c.set('1:0:0', arr(10));
  c.set('1:0:1', arr(10));
  c.set('12:0:0', arr(10));
  c.deleteWhere((k) => k.startsWith('1:'));
  expect(c.size).toBe(1);
  expect(c.get('12:0:0')).toBeDefined();
  expect(c.bytes).toBe(10);
});
