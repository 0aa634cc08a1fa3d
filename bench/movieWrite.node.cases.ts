// `movie-write`: writing the reference movie's 1280² frames to disk as evscope movie does
// (through safeOutput's sink), per pixel type and codec, beside a raw write of the same number of
// bytes in frame-sized chunks — the disk's own speed on this machine at this moment. Frames are
// rendered once before timing (8 frames spread over the movie, written in turn), so the figures
// are the writer's: quantising, predicting, compressing and the file system.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { outputSink } from '../src/cli/safeOutput';
import { autoMovieScale, quantiseFrame } from '../src/core/movie/quantise';
import { createTiffWriter, type TiffCompression } from '../src/core/stack/tiffWriter';
import { referenceMovie } from './movie.cases';
import type { BenchCase, Figures } from './types';

const FRAMES = 48;

async function rawWrite(path: string, bytes: number, chunk: Uint8Array): Promise<number> {
  const out = await outputSink(path);
  const t0 = performance.now();
  for (let left = bytes; left > 0; left -= chunk.length)
    await out.sink(left >= chunk.length ? chunk : chunk.subarray(0, left));
  await out.finish(true);
  return performance.now() - t0;
}

export const movieWriteNodeCases: BenchCase[] = [
  {
    name: 'movie-write',
    where: ['node'],
    async run(log) {
      const { movie } = referenceMovie();
      const { width, height } = movie.grid;
      const picks = Array.from({ length: 8 }, (_, k) => Math.round((k * (movie.frameCount - 1)) / 7));
      const floats = picks.map((n) => movie.getFrame(n).slice());
      let max = 0;
      for (const f of floats) for (const v of f) max = Math.max(max, v);
      const scale = autoMovieScale(max, 'uint16');
      const u16 = floats.map((f) => {
        const q = new Uint16Array(f.length);
        quantiseFrame(f, q, scale, 65535);
        return q;
      });
      log(
        `${FRAMES} frames of ${width}×${height} px (8 reference-movie frames in turn), uint16 scale ${scale}`,
      );
      const dir = await mkdtemp(join(tmpdir(), 'evscope-movie-write-'));
      const figures: Figures = {};
      // [label, dtype, codec, deflate level, predictor, Node's zlib (the CLI) or fflate (the browser)]
      const modes: [string, 'float32' | 'uint16', TiffCompression, number, boolean, boolean][] = [
        ['float32', 'float32', 'none', 0, false, false],
        ['uint16', 'uint16', 'none', 0, false, false],
        ['uint16 deflate6', 'uint16', 'deflate', 6, false, true],
        ['uint16 deflate6 predictor', 'uint16', 'deflate', 6, true, true],
        ['uint16 deflate1', 'uint16', 'deflate', 1, false, true],
        ['uint16 deflate6 fflate', 'uint16', 'deflate', 6, false, false],
        ['uint16 lzw', 'uint16', 'lzw', 0, false, false],
        ['uint16 lzw predictor', 'uint16', 'lzw', 0, true, false],
        ['float32 deflate6', 'float32', 'deflate', 6, false, true],
      ];
      try {
        for (const [name, dtype, compression, level, predictor, native] of modes) {
          const path = join(dir, 'movie.tif');
          const out = await outputSink(path);
          const t0 = performance.now();
          const w = createTiffWriter({
            width,
            height,
            frameCount: FRAMES,
            dtype,
            compression,
            deflateLevel: level,
            predictor,
            deflate: native ? (b, l) => deflateSync(b, { level: l }) : undefined,
            pixelSizeNm: 10,
            sink: out.sink,
          });
          for (let k = 0; k < FRAMES; k++)
            await w.writeFrame(dtype === 'uint16' ? u16[k % 8] : floats[k % 8]);
          await w.close();
          await out.finish(true);
          const ms = performance.now() - t0;
          const rawMs = await rawWrite(
            join(dir, 'raw.bin'),
            w.totalBytes,
            new Uint8Array(width * height * 4).fill(1),
          );
          const mb = w.totalBytes / 1e6;
          figures[`${name}: file MB`] = Number(mb.toFixed(1));
          figures[`${name}: frames/s`] = Number(((FRAMES * 1000) / ms).toFixed(1));
          figures[`${name}: MB/s`] = Number(((mb * 1000) / ms).toFixed(0));
          figures[`${name}: raw disk MB/s`] = Number(((mb * 1000) / rawMs).toFixed(0));
          log(
            `${name}: ${mb.toFixed(1)} MB in ${ms.toFixed(0)} ms; raw write of the same bytes ${rawMs.toFixed(0)} ms`,
          );
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      return figures;
    },
  },
];
