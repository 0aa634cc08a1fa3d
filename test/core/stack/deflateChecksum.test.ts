// Deflate strips are verified against their zlib Adler-32 trailer (fflate does not check it).
import { zlibSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { adler32, decodeBlock } from '../../../src/core/stack/tiff/codecs';

describe('Adler-32 of Deflate strips', () => {
  test('matches RFC 1950 reference values and zlib’s own trailer', () => {
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(new Uint8Array(0))).toBe(1);
    // Long enough to need the modulo reductions (> 5552 bytes of 0xff).
    const data = new Uint8Array(100_000).fill(255);
    const z = zlibSync(data);
    const trailer = new DataView(z.buffer, z.byteOffset + z.length - 4).getUint32(0, false);
    expect(adler32(data)).toBe(trailer);
  });

  test('a strip whose trailer disagrees is refused; padding after the stream is tolerated', () => {
    const data = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31) % 251);
    const z = zlibSync(data);
    expect(Array.from(decodeBlock(8, z, data.length))).toEqual(Array.from(data));
    const padded = new Uint8Array(z.length + 7);
    padded.set(z);
    expect(Array.from(decodeBlock(8, padded, data.length))).toEqual(Array.from(data));
    const bad = z.slice();
    bad[bad.length - 1] ^= 1;
    expect(() => decodeBlock(8, bad, data.length)).toThrow(/Adler-32/);
  });
});
