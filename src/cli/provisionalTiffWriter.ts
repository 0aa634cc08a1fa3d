// PROVISIONAL: a minimal little-endian multi-page uint16 TIFF writer for `evscope simulate`,
// standing in until the stack branch's src/core/stack/tiffWriter.ts is merged (then delete this).
// One strip per page, pages laid out back to back, ImageJ hyperstack description on page 0.
import { closeSync, openSync, writeSync } from 'node:fs';

export interface ProvisionalTiffOptions {
  width: number;
  height: number;
  channels: number;
  frames: number;
  frameIntervalMs?: number;
}

const TAGS_FIRST = 11;
const TAGS_REST = 10;

function ifdBytes(tags: number): number {
  return 2 + 12 * tags + 4;
}

/** Writes pages in ImageJ order (channel fastest): getPage(frame, channel) must fill `out`. */
export function writeProvisionalTiff(
  path: string,
  o: ProvisionalTiffOptions,
  getPage: (frame: number, channel: number, out: Uint16Array) => void,
): void {
  const pages = o.frames * o.channels;
  const imageBytes = o.width * o.height * 2;
  const descLines = [
    'ImageJ=1.11a',
    `images=${pages}`,
    `channels=${o.channels}`,
    `frames=${o.frames}`,
    o.channels > 1 ? 'hyperstack=true' : '',
    o.channels > 1 ? 'mode=grayscale' : '',
    o.frameIntervalMs ? `finterval=${o.frameIntervalMs / 1000}` : '',
    'evscope=simulated',
  ].filter(Boolean);
  const desc = new TextEncoder().encode(`${descLines.join('\n')}\n\0`);
  const descPad = desc.length + (desc.length & 1);
  const firstBlock = ifdBytes(TAGS_FIRST) + descPad + imageBytes;
  const restBlock = ifdBytes(TAGS_REST) + imageBytes;
  const blockStart = (k: number) => (k === 0 ? 8 : 8 + firstBlock + (k - 1) * restBlock);
  const total = blockStart(pages);
  if (total > 0xffffffff)
    throw new Error(`TIFF would be ${total} bytes; the provisional writer handles < 4 GiB`);
  const fd = openSync(path, 'w');
  try {
    const head = new DataView(new ArrayBuffer(8));
    head.setUint16(0, 0x4949, true);
    head.setUint16(2, 42, true);
    head.setUint32(4, 8, true);
    writeSync(fd, new Uint8Array(head.buffer));
    const page = new Uint16Array(o.width * o.height);
    const pageBytes = new Uint8Array(page.buffer);
    for (let k = 0; k < pages; k++) {
      const first = k === 0;
      const tags = first ? TAGS_FIRST : TAGS_REST;
      const start = blockStart(k);
      const extraStart = start + ifdBytes(tags);
      const dataStart = first ? extraStart + descPad : extraStart;
      const ifd = new DataView(new ArrayBuffer(ifdBytes(tags)));
      let at = 0;
      ifd.setUint16(at, tags, true);
      at += 2;
      const entry = (tag: number, type: number, count: number, value: number) => {
        ifd.setUint16(at, tag, true);
        ifd.setUint16(at + 2, type, true);
        ifd.setUint32(at + 4, count, true);
        if (type === 3 && count === 1) ifd.setUint16(at + 8, value, true);
        else ifd.setUint32(at + 8, value, true);
        at += 12;
      };
      entry(256, 4, 1, o.width);
      entry(257, 4, 1, o.height);
      entry(258, 3, 1, 16);
      entry(259, 3, 1, 1);
      entry(262, 3, 1, 1);
      if (first) entry(270, 2, desc.length, extraStart);
      entry(273, 4, 1, dataStart);
      entry(277, 3, 1, 1);
      entry(278, 4, 1, o.height);
      entry(279, 4, 1, imageBytes);
      entry(339, 3, 1, 1);
      const next = k + 1 < pages ? blockStart(k + 1) : 0;
      ifd.setUint32(at, next, true);
      writeSync(fd, new Uint8Array(ifd.buffer), 0, ifd.byteLength, start);
      if (first) writeSync(fd, desc, 0, desc.length, extraStart);
      getPage(Math.floor(k / o.channels), k % o.channels, page);
      writeSync(fd, pageBytes, 0, imageBytes, dataStart);
    }
  } finally {
    closeSync(fd);
  }
}
