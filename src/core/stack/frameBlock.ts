// Blocks of consecutive frames for the localizers: one call per chunk of frames, whatever the
// reader. Readers that know their layout (TIFF) implement `readFrames` with few large reads;
// for the others the frames are read one by one and packed here.
import { checkFrameArgs } from './frameIndex';
import { type FrameSource, type PixelArray, type ReadOptions, StackError } from './types';

/** Largest span one block read fetches at once; longer blocks are read in several spans. */
export const MAX_BLOCK_READ_BYTES = 32 * 1024 * 1024;

/** Throws unless [first, first + count) is a non-empty range of frames of `src`. */
export function checkBlockArgs(src: FrameSource, first: number, count: number, channel: number): void {
  checkFrameArgs(src.name, src.frameCount, src.channels, first, channel);
  if (!Number.isInteger(count) || count < 1 || first + count > src.frameCount)
    throw new StackError(
      src.name,
      `frames ${first + 1}…${first + count} are outside the stack's ${src.frameCount} frames`,
    );
}

/** Frames [first, first + count) of one channel of `src`, row-major, back to back. */
export async function readFrameBlock(
  src: FrameSource,
  first: number,
  count: number,
  options?: ReadOptions,
): Promise<PixelArray> {
  checkBlockArgs(src, first, count, options?.channel ?? 0);
  if (src.readFrames) return src.readFrames(first, count, options);
  return readFramesOneByOne(src, first, count, options);
}

/** The fallback: `count` readFrame calls packed into one array of the frames' type. */
export async function readFramesOneByOne(
  src: FrameSource,
  first: number,
  count: number,
  options?: ReadOptions,
): Promise<PixelArray> {
  const size = src.width * src.height;
  let block: PixelArray | null = null;
  for (let f = 0; f < count; f++) {
    const frame = await src.readFrame(first + f, options);
    if (frame.length !== size)
      throw new StackError(
        src.name,
        `frame ${first + f + 1} has ${frame.length} pixels, expected ${src.width}×${src.height}`,
      );
    if (count === 1) return frame;
    block ??= new (frame.constructor as new (n: number) => PixelArray)(count * size);
    block.set(frame, f * size);
  }
  return block!;
}
