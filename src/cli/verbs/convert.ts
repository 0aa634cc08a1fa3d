// `evscope convert IN… --out OUT.tif`: any readable stack to a plain little-endian multi-page
// TIFF (ImageJ-compatible), streamed frame by frame so the input may be larger than memory.
import { bytesPerPixel } from '../../core/stack/pixels';
import { createTiffWriter } from '../../core/stack/tiffWriter';
import type { FrameSource, PixelArray } from '../../core/stack/types';
import { numberFlag } from '../args';
import { withStack } from '../openInputs';
import { checkOutputs, outputSink } from '../safeOutput';
import { defineVerb } from '../verb';

/** "a:b", "a:", ":b" or "a" — 1-based, inclusive — to a 0-based half-open range. */
export function parseFrameRange(text: string, frameCount: number): [number, number] {
  const m = /^\s*(\d*)\s*(?::\s*(\d*))?\s*$/.exec(text);
  if (!m || (m[1] === '' && m[2] === undefined))
    throw new Error(`--frames must look like a:b (1-based, inclusive), got "${text}"`);
  const first = m[1] === '' ? 1 : Number(m[1]);
  const last = m[2] === undefined ? first : m[2] === '' ? frameCount : Number(m[2]);
  if (first < 1 || last < first || last > frameCount) {
    throw new Error(`--frames ${text} is outside 1:${frameCount} (1-based, inclusive)`);
  }
  return [first - 1, last];
}

/** "x0,y0,x1,y1": 0-based pixel corners, x1/y1 exclusive, so the crop is (x1-x0) × (y1-y0). */
export function parseCrop(text: string, width: number, height: number): [number, number, number, number] {
  const v = text.split(',').map((s) => Number(s.trim()));
  if (v.length !== 4 || !v.every(Number.isInteger))
    throw new Error(`--crop must be x0,y0,x1,y1 (integers), got "${text}"`);
  const [x0, y0, x1, y1] = v;
  if (x0 < 0 || y0 < 0 || x1 > width || y1 > height || x1 <= x0 || y1 <= y0) {
    throw new Error(`--crop ${text} is not inside the ${width}×${height} frame (x1, y1 exclusive)`);
  }
  return [x0, y0, x1, y1];
}

function cropFrame(f: PixelArray, width: number, [x0, y0, x1, y1]: number[], out: PixelArray): PixelArray {
  const bpp = f.BYTES_PER_ELEMENT;
  const src = new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
  const dst = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  const rowBytes = (x1 - x0) * bpp;
  for (let y = y0; y < y1; y++)
    dst.set(src.subarray((y * width + x0) * bpp, (y * width + x0) * bpp + rowBytes), (y - y0) * rowBytes);
  return out;
}

export async function convertStack(
  stack: FrameSource,
  outPath: string,
  opts: { frames?: string; crop?: string; channel?: number; pixelSizeNm?: number; frameIntervalMs?: number },
): Promise<{ frames: number; bytes: number }> {
  const [start, end] = opts.frames ? parseFrameRange(opts.frames, stack.frameCount) : [0, stack.frameCount];
  const crop = opts.crop
    ? parseCrop(opts.crop, stack.width, stack.height)
    : [0, 0, stack.width, stack.height];
  const channel = (opts.channel ?? 1) - 1;
  if (!Number.isInteger(channel) || channel < 0 || channel >= stack.channels) {
    throw new Error(`--channel ${channel + 1} does not exist (the stack has ${stack.channels}; 1-based)`);
  }
  const width = crop[2] - crop[0];
  const height = crop[3] - crop[1];
  const out = await outputSink(outPath);
  let ok = false;
  try {
    const writer = createTiffWriter({
      width,
      height,
      dtype: stack.dtype,
      frameCount: end - start,
      pixelSizeNm: opts.pixelSizeNm ?? stack.meta.pixelSizeNm,
      frameIntervalMs: opts.frameIntervalMs ?? stack.meta.frameIntervalMs,
      sink: out.sink,
    });
    const whole = width === stack.width && height === stack.height;
    const scratch = new Uint8Array(width * height * bytesPerPixel(stack.dtype));
    for (let k = start; k < end; k++) {
      const frame = await stack.readFrame(k, { channel });
      const typed = whole ? frame : cropFrame(frame, stack.width, crop, viewLike(frame, scratch));
      await writer.writeFrame(typed);
    }
    await writer.close();
    ok = true;
    return { frames: end - start, bytes: writer.totalBytes };
  } finally {
    await out.finish(ok);
  }
}

function viewLike(f: PixelArray, bytes: Uint8Array): PixelArray {
  const C = f.constructor as new (b: ArrayBufferLike, o: number, n: number) => PixelArray;
  return new C(bytes.buffer, 0, bytes.byteLength / f.BYTES_PER_ELEMENT);
}

export const verb = defineVerb({
  help: `usage: evscope convert IN… --out OUT.tif [--frames a:b] [--crop x0,y0,x1,y1] [--channel c]
                        [--pixel-size NM] [--frame-interval MS]

Writes the input stack as a plain little-endian multi-page TIFF with an ImageJ description
(Fiji reads its pixel size and frame interval); BigTIFF when it exceeds 4 GiB. Several inputs
form one stack in natural name order (img2 before img10); .dax/.raw need their sidecar.

  --frames a:b      frames a to b, 1-based and inclusive, like Fiji ("5:100", "5:", ":100", "7")
  --crop x0,y0,x1,y1  keep pixels x0 ≤ x < x1, y0 ≤ y < y1 (0-based, end exclusive)
  --channel c       which channel to write, 1-based (default 1)
  --pixel-size NM   pixel size to record, overriding the input's
  --frame-interval MS  frame interval to record, overriding the input's`,
  values: ['out', 'frames', 'crop', 'channel', 'pixel-size', 'frame-interval'],
  async run(p) {
    const out = p.flags.get('out');
    if (typeof out !== 'string') throw new Error('--out OUT.tif is required');
    if (p.positionals.length === 0) throw new Error('no input files (see evscope convert --help)');
    await checkOutputs([out], p.positionals);
    const frames = p.flags.get('frames');
    const crop = p.flags.get('crop');
    const result = await withStack(p.positionals, (stack) =>
      convertStack(stack, out, {
        frames: typeof frames === 'string' ? frames : undefined,
        crop: typeof crop === 'string' ? crop : undefined,
        channel: numberFlag(p, 'channel'),
        pixelSizeNm: numberFlag(p, 'pixel-size'),
        frameIntervalMs: numberFlag(p, 'frame-interval'),
      }),
    );
    console.log(`wrote ${out}: ${result.frames} frames, ${result.bytes} bytes`);
    return 0;
  },
});
