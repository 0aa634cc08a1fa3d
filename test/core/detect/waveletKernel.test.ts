// The SIMD wavelet kernels are reviewed as WebAssembly text (wavelet.wat) and shipped as the bytes
// in waveletKernel.ts: assembling the text must give exactly those bytes, so neither can be
// edited without the other (`npm run build:wasm` rewrites the bytes).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { assembleWat, KERNELS, moduleText } from '../../../bin/build-wasm.mjs';
import { WAVELET_WASM } from '../../../src/core/detect/waveletKernel';

const root = join(import.meta.dirname, '../../..');

test('wavelet.wat assembles to exactly the checked-in bytes', async () => {
  const k = KERNELS.find((x) => x.name === 'WAVELET_WASM')!;
  const bytes = await assembleWat(readFileSync(join(root, k.wat), 'utf8'), k.wat);
  expect(Array.from(WAVELET_WASM)).toEqual(Array.from(bytes));
  // And the module file is what the build script writes (header, line breaks and all).
  expect(readFileSync(join(root, k.ts), 'utf8')).toBe(moduleText(k, bytes));
}, 60_000);

test('an edited kernel no longer matches (the check can fail)', async () => {
  const k = KERNELS.find((x) => x.name === 'WAVELET_WASM')!;
  const text = readFileSync(join(root, k.wat), 'utf8').replace('f32x4.sub', 'f32x4.add');
  const bytes = await assembleWat(text, k.wat);
  expect(bytes.length).toBe(WAVELET_WASM.length);
  expect(Array.from(bytes)).not.toEqual(Array.from(WAVELET_WASM));
}, 60_000);

test('the module exports the six passes over one imported memory', () => {
  const m = new WebAssembly.Module(WAVELET_WASM);
  expect(WebAssembly.Module.exports(m).map((e) => e.name)).toEqual([
    'rows',
    'columns',
    'atrousRows',
    'atrousColumns',
    'moments',
    'above',
  ]);
  expect(WebAssembly.Module.imports(m)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
});
