// The localization worker's API: configure once per run, then localize blocks of frames. Frames
// arrive as one transferred typed array per chunk; the LocTable's column buffers are transferred
// back, so neither direction copies.
import * as Comlink from 'comlink';
import { LocalizeScratch, localizeFrames } from '../src/core/localize/localize';
import { type LocalizeParamsInput, resolveLocalizeParams } from '../src/core/localize/params';
import type { LocTable } from '../src/core/locs/table';
import type { PixelArray } from '../src/core/stack/types';

export interface LocalizeInit {
  /** Frame size (of the region of interest, if any) in pixels. */
  width: number;
  height: number;
  /** Localization and camera parameters; sCMOS maps must already match width × height. */
  params: LocalizeParamsInput;
}

export function createLocalizeApi() {
  let scratch: LocalizeScratch | null = null;
  return {
    init(config: LocalizeInit): void {
      scratch = new LocalizeScratch(config.width, config.height, resolveLocalizeParams(config.params));
    },
    /** Localizes `frameCount` frames packed back to back in `pixels`, numbered from `firstFrameIndex`. */
    localizeFrames(pixels: PixelArray, frameCount: number, firstFrameIndex: number): LocTable {
      if (!scratch) throw new Error('localize worker: init() must be called before localizeFrames()');
      const table = localizeFrames(pixels, frameCount, firstFrameIndex, scratch);
      return Comlink.transfer(
        table,
        Object.values(table.columns).map((c) => c.buffer as ArrayBuffer),
      );
    },
  };
}

export type LocalizeApi = ReturnType<typeof createLocalizeApi>;
