// Streams a simulation to an ImageJ hyperstack TIFF frame by frame, so long simulations never
// sit in memory whole.
import { open } from 'node:fs/promises';
import type { Simulation } from '../core/sim/index';
import { createTiffWriter } from '../core/stack/tiffWriter';

export async function writeSimulatedTiff(path: string, sim: Simulation): Promise<void> {
  const { stack, params } = sim;
  const file = await open(path, 'w');
  try {
    let at = 0;
    const writer = createTiffWriter({
      width: stack.width,
      height: stack.height,
      frameCount: stack.frameCount,
      channels: stack.channels,
      dtype: 'uint16',
      pixelSizeNm: params.pixelSizeNm,
      frameIntervalMs: params.frameIntervalMs,
      sink: async (chunk) => {
        await file.write(chunk, 0, chunk.length, at);
        at += chunk.length;
      },
    });
    const page = new Uint16Array(stack.width * stack.height);
    for (let f = 0; f < stack.frameCount; f++) {
      for (let c = 0; c < stack.channels; c++) {
        stack.renderFrameInto(f, c, page);
        await writer.writeFrame(page);
      }
    }
    await writer.close();
  } finally {
    await file.close();
  }
}
