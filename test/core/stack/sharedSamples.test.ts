// Real files from other projects (../shared/data, see its PROVENANCE.md files): read them all and
// check that files said to hold the same pixels do, pixel for pixel.
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type FileByteSource, openFileByteSources } from '../../../src/cli/nodeByteSource';
import { openStack } from '../../../src/core/stack/open';
import type { FrameSource } from '../../../src/core/stack/types';
import { repoRoot, sharedDataDir } from '../../helpers/sharedData';

const dataDir = sharedDataDir ?? '';
const present = sharedDataDir !== undefined;
if (!present) console.warn(`skipping shared-sample tests: no shared/data folder beside ${repoRoot}`);

const opened: FileByteSource[] = [];
async function open(...rel: string[]): Promise<FrameSource> {
  const sources = await openFileByteSources(rel.map((r) => join(dataDir, r)));
  opened.push(...sources);
  return openStack(sources);
}
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

async function expectSamePixels(a: FrameSource, b: FrameSource) {
  expect([a.width, a.height, a.frameCount, a.dtype]).toEqual([b.width, b.height, b.frameCount, b.dtype]);
  for (let k = 0; k < a.frameCount; k++) {
    const [x, y] = [await a.readFrame(k), await b.readFrame(k)];
    expect(
      Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(
        Buffer.from(y.buffer, y.byteOffset, y.byteLength),
      ),
    ).toBe(true);
  }
}

describe.skipIf(!present)('shared sample data', () => {
  test('storm-analysis test.dax (+ .inf, big-endian) equals storm_test.tif', async () => {
    const dax = await open('storm_analysis_test/test.dax', 'storm_analysis_test/test.inf');
    const tif = await open('storm_analysis_test/storm_test.tif');
    expect(dax.meta).toMatchObject({ flavour: 'dax', byteOrder: 'big' });
    expect(tif.meta.byteOrder).toBe('little');
    // tifffile wrote "channels=10" for these 10 time points: read as frames, and say so.
    expect(tif.meta.extra?.note).toMatch(/channels=10/);
    expect([dax.width, dax.height, dax.frameCount]).toEqual([256, 256, 10]);
    await expectSamePixels(dax, tif);
    // Simulated with a camera offset of 100 ADU: no pixel below it, and real signal above it.
    const f = (await dax.readFrame(0)) as Uint16Array;
    expect(Math.min(...f)).toBeGreaterThanOrEqual(90);
    expect(Math.max(...f)).toBeGreaterThan(200);
  });

  test('the other .dax (400×300, 2 frames) opens with its sidecar', async () => {
    const s = await open('storm_analysis_test/test_low_snr.inf', 'storm_analysis_test/test_low_snr.dax');
    expect([s.width, s.height, s.frameCount]).toEqual([400, 300, 2]);
    expect((await s.readFrame(1)).length).toBe(400 * 300);
  });

  test('Picasso testdata.raw (+ .yaml) equals peer_outputs/testdata.tif', async () => {
    const raw = await open('picasso_testdata/testdata.raw', 'picasso_testdata/testdata.yaml');
    const tif = await open('picasso_testdata/peer_outputs/testdata.tif');
    expect(raw.meta).toMatchObject({ flavour: 'picasso-raw', byteOrder: 'little', pixelSizeNm: 160 });
    expect([raw.width, raw.height, raw.frameCount, raw.dtype]).toEqual([32, 32, 100, 'uint16']);
    await expectSamePixels(raw, tif);
  });

  test('ThunderSTORM tubulins frame (ImageJ 1.45b, uint16) and the float32 wavelet patch', async () => {
    const t = await open('thunderstorm_tubulins/tubulins1_00020.tif');
    expect([t.width, t.height, t.frameCount, t.dtype]).toEqual([256, 256, 1, 'uint16']);
    const px = (await t.readFrame(0)) as Uint16Array;
    // PROVENANCE: min 100 (baseline), max 1078.
    expect([Math.min(...px), Math.max(...px)]).toEqual([100, 1078]);
    const w = await open('thunderstorm_tubulins/7peaksWaveletFiltered.tif');
    expect([w.width, w.height, w.dtype]).toEqual([40, 14, 'float32']);
    const f = (await w.readFrame(0)) as Float32Array;
    expect(f.every(Number.isFinite)).toBe(true);
    expect(Math.max(...f)).toBeGreaterThan(0);
  });

  test('Locan images.tif: 5 frames 128×128 uint16 from ImageJ 1.52n', async () => {
    const s = await open('locan_test_data/images.tif');
    expect([s.width, s.height, s.frameCount, s.dtype]).toEqual([128, 128, 5, 'uint16']);
    expect(s.meta.extra?.ImageJ).toBe('1.52n');
    const frames = await Promise.all([0, 1, 2, 3, 4].map((k) => s.readFrame(k)));
    // Real frames differ from each other.
    expect(Array.from(frames[0])).not.toEqual(Array.from(frames[4]));
  });
});
