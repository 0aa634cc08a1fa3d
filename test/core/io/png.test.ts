import { unzlibSync } from 'fflate';
import { expect, test } from 'vitest';
import { encodePng } from '../../../src/core/io/png';
import { crc32 } from '../../../src/core/io/zip';
import { burnScaleBar } from '../../../src/core/render/burnScaleBar';

interface Chunk {
  type: string;
  body: Uint8Array;
  crcOk: boolean;
}

function chunks(png: Uint8Array): Chunk[] {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  let at = 8;
  while (at < png.length) {
    const len = dv.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const body = png.subarray(at + 8, at + 8 + len);
    out.push({ type, body, crcOk: dv.getUint32(at + 8 + len) === crc32(png.subarray(at + 4, at + 8 + len)) });
    at += 12 + len;
  }
  return out;
}

test('CRC-32 matches the standard check value', () => {
  expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
});

test('an RGBA PNG decodes back to its pixels, with size, pixel size and text', () => {
  const w = 5;
  const h = 3;
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) & 255;
  const png = encodePng(
    { width: w, height: h, data, color: 'rgba' },
    { pixelSizeNm: 10, text: { Software: 'evscope' } },
  );
  expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const cs = chunks(png);
  expect(cs.map((c) => c.type)).toEqual(['IHDR', 'pHYs', 'tEXt', 'IDAT', 'IEND']);
  expect(cs.every((c) => c.crcOk)).toBe(true);
  const ihdr = new DataView(cs[0].body.buffer, cs[0].body.byteOffset);
  expect([ihdr.getUint32(0), ihdr.getUint32(4), cs[0].body[8], cs[0].body[9]]).toEqual([w, h, 8, 6]);
  // 10 nm per pixel = 10⁸ pixels per metre.
  expect(new DataView(cs[1].body.buffer, cs[1].body.byteOffset).getUint32(0)).toBe(100_000_000);
  const raw = unzlibSync(cs[3].body);
  expect(raw.length).toBe(h * (w * 4 + 1));
  for (let y = 0; y < h; y++) {
    expect(raw[y * (w * 4 + 1)]).toBe(0);
    expect([...raw.subarray(y * (w * 4 + 1) + 1, (y + 1) * (w * 4 + 1))]).toEqual([
      ...data.subarray(y * w * 4, (y + 1) * w * 4),
    ]);
  }
});

test('grey PNGs use colour type 0 and wrong sizes are refused', () => {
  const png = encodePng({ width: 2, height: 2, data: new Uint8Array([0, 64, 128, 255]), color: 'gray' });
  const cs = chunks(png);
  expect(cs[0].body[9]).toBe(0);
  expect([...unzlibSync(cs[1].body)]).toEqual([0, 0, 64, 0, 128, 255]);
  expect(() => encodePng({ width: 3, height: 2, data: new Uint8Array(4), color: 'gray' })).toThrow(
    /expected 6/,
  );
});

test('the burned-in scale bar is white, in the bottom-right corner, and as long as its label says', () => {
  const w = 400;
  const h = 200;
  const rgba = new Uint8ClampedArray(w * h * 4);
  const bar = burnScaleBar(rgba, w, h, 10)!;
  // 400 px × 10 nm = 4 µm; ≤ 20% of it is 800 nm → a 500 nm bar of 50 px.
  expect(bar.lengthNm).toBe(500);
  expect(bar.label).toBe('500 nm');
  // Find the longest white run on any row: the bar.
  let longest = 0;
  let rowAt = -1;
  for (let y = 0; y < h; y++) {
    let run = 0;
    for (let x = 0; x < w; x++) {
      run = rgba[4 * (y * w + x)] === 255 ? run + 1 : 0;
      if (run > longest) {
        longest = run;
        rowAt = y;
      }
    }
  }
  expect(longest).toBe(50);
  expect(rowAt).toBeGreaterThan(h / 2);
  expect(rgba[0]).toBe(0); // the top-left stays untouched
});
