// Writes small, real, uncompressed multi-page TIFFs for tests (geotiff writes single pages only).

export interface TiffOptions {
  width: number;
  height: number;
  frames: number;
  /** Pixel value of frame f at (x, y); default: a gradient that changes with the frame. */
  pixel?: (f: number, x: number, y: number) => number;
  littleEndian?: boolean;
}

/** Uncompressed uint16 multi-page TIFF, one strip per page. */
export function writeTiff16(opts: TiffOptions): Uint8Array {
  const { width, height, frames } = opts;
  const le = opts.littleEndian ?? true;
  const pixel = opts.pixel ?? ((f, x, y) => (x + y * 3 + f * 100) % 65536);
  const frameBytes = width * height * 2;
  const entries = 8;
  const ifdBytes = 2 + entries * 12 + 4;
  const total = 8 + frames * (ifdBytes + frameBytes);
  const buf = new ArrayBuffer(total);
  const dv = new DataView(buf);
  dv.setUint8(0, le ? 0x49 : 0x4d);
  dv.setUint8(1, le ? 0x49 : 0x4d);
  dv.setUint16(2, 42, le);
  dv.setUint32(4, 8, le);
  let pos = 8;
  for (let f = 0; f < frames; f++) {
    const ifd = pos;
    const data = ifd + ifdBytes;
    const next = f + 1 < frames ? data + frameBytes : 0;
    dv.setUint16(ifd, entries, le);
    const tags: [number, number, number][] = [
      [256, 4, width],
      [257, 4, height],
      [258, 3, 16],
      [259, 3, 1],
      [262, 3, 1],
      [273, 4, data],
      [277, 3, 1],
      [279, 4, frameBytes],
    ];
    tags.forEach(([tag, type, value], i) => {
      const e = ifd + 2 + i * 12;
      dv.setUint16(e, tag, le);
      dv.setUint16(e + 2, type, le);
      dv.setUint32(e + 4, 1, le);
      if (type === 3) dv.setUint16(e + 8, value, le);
      else dv.setUint32(e + 8, value, le);
    });
    dv.setUint32(ifd + 2 + entries * 12, next, le);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) dv.setUint16(data + (y * width + x) * 2, pixel(f, x, y), le);
    }
    pos = data + frameBytes;
  }
  return new Uint8Array(buf);
}
