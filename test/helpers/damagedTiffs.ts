// A seeded corpus of damaged stacks, made at test time from a good one (no stored binaries):
// each case names the damage, the page it hits and what evscope must do with it.
import { Rng } from '../../src/core/random';
import { expectedImage, gridSpots, poissonImage } from './spotImage';
import { writeTiff16 } from './tiff';

export const W = 32;
export const H = 32;
export const FRAMES = 20;
/** Camera offset of the corpus (ADU); 1 e⁻/ADU. */
export const OFFSET = 100;

/** The good stack's frames: a few bright spots on a dim background, seeded. */
export function corpusFrames(seed = 21): Uint16Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: FRAMES }, () =>
    Uint16Array.from(
      poissonImage(expectedImage(W, H, gridSpots(W, H, 10, 1500, rng), 1.3, 10), rng),
      (v) => v + OFFSET,
    ),
  );
}

export function goodTiff(frames = corpusFrames()): Uint8Array {
  return writeTiff16({ width: W, height: H, frames: FRAMES, pixel: (f, x, y) => frames[f][y * W + x] });
}

// writeTiff16's layout: an 8-byte header, then per page an IFD of 8 entries (102 bytes) and the strip.
const IFD_BYTES = 2 + 8 * 12 + 4;
const ifdAt = (page: number) => 8 + page * (IFD_BYTES + W * H * 2);
const entryValueAt = (page: number, entry: number) => ifdAt(page) + 2 + entry * 12 + 8;
const COMPRESSION_ENTRY = 3;
const BITS_ENTRY = 2;

export interface DamagedCase {
  name: string;
  bytes: Uint8Array;
  /**
   * 'prefix': frames before `badFrame` are localized and kept, the run reports `badFrame`;
   * 'refused': the file does not open; a clear message names it and nothing is written.
   */
  expect: { kind: 'prefix'; badFrame: number } | { kind: 'refused'; message: RegExp };
}

function patched(good: Uint8Array, edit: (dv: DataView, bytes: Uint8Array) => void): Uint8Array {
  const bytes = good.slice();
  edit(new DataView(bytes.buffer), bytes);
  return bytes;
}

/** The corpus; `seed` moves the damaged page and the garbage bytes. */
export function damagedCorpus(seed = 7): DamagedCase[] {
  const rng = new Rng(seed);
  const good = goodTiff();
  const page = () => 3 + Math.floor(rng.uniform() * (FRAMES - 6));
  const bitsPage = page();
  const compressionPage = page();
  const cutPage = page();
  const garbage = new Uint8Array(4096);
  for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(rng.uniform() * 256);
  garbage[0] = 0x37; // never a TIFF byte-order mark
  return [
    {
      name: `page ${bitsPage + 1} claims 12-bit samples`,
      bytes: patched(good, (dv) => dv.setUint16(entryValueAt(bitsPage, BITS_ENTRY), 12, true)),
      expect: { kind: 'prefix', badFrame: bitsPage },
    },
    {
      name: `page ${compressionPage + 1} claims an unknown compression`,
      bytes: patched(good, (dv) =>
        dv.setUint16(entryValueAt(compressionPage, COMPRESSION_ENTRY), 33_333, true),
      ),
      expect: { kind: 'prefix', badFrame: compressionPage },
    },
    {
      name: `cut off in the middle of page ${cutPage + 1}`,
      bytes: good.slice(0, ifdAt(cutPage) + IFD_BYTES + W * H),
      // The TIFF reader walks the whole IFD chain at open, so a cut file is refused as a whole
      // (naming the damage) rather than opened up to the cut.
      expect: { kind: 'refused', message: /truncated or corrupt/ },
    },
    {
      name: 'random bytes named .tif',
      bytes: garbage,
      expect: { kind: 'refused', message: /not a TIFF file/ },
    },
    {
      name: 'an empty file',
      bytes: new Uint8Array(0),
      expect: { kind: 'refused', message: /not a TIFF file/ },
    },
  ];
}
