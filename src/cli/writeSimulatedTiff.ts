// Streams a simulation to an ImageJ hyperstack TIFF frame by frame, so long simulations never
// sit in memory whole.
import type { Simulation } from '../core/sim/index';
import { createTiffWriter } from '../core/stack/tiffWriter';
import { outputSink } from './safeOutput';

export async function writeSimulatedTiff(path: string, sim: Simulation): Promise<void> {
  const { stack, params } = sim;
  const out = await outputSink(path);
  let ok = false;
  try {
    const writer = createTiffWriter({
      width: stack.width,
      height: stack.height,
      frameCount: stack.frameCount,
      channels: stack.channels,
      dtype: 'uint16',
      pixelSizeNm: params.pixelSizeNm,
      frameIntervalMs: params.frameIntervalMs,
      sink: out.sink,
    });
    const page = new Uint16Array(stack.width * stack.height);
    for (let f = 0; f < stack.frameCount; f++) {
      for (let c = 0; c < stack.channels; c++) {
        stack.renderFrameInto(f, c, page);
        await writer.writeFrame(page);
      }
    }
    await writer.close();
    ok = true;
  } finally {
    await out.finish(ok);
  }
}
