// A live MediaRecorder writes WebM without a Duration (it does not know it while recording), so
// players show no length and often cannot seek. This inserts Segment ▸ Info ▸ Duration once the
// recording is done: the Info element is rewritten with the extra child (and a known-size Segment
// gets its size adjusted); everything else is copied unchanged.

const EBML_ID = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;

interface Vint {
  value: number;
  len: number;
  unknown: boolean;
}

function readVint(b: Uint8Array, p: number, keepMarker: boolean): Vint {
  if (p >= b.length) throw new Error('WebM: truncated element');
  const first = b[p];
  let len = 1;
  while (len <= 8 && !(first & (0x80 >> (len - 1)))) len++;
  if (len > 8 || p + len > b.length) throw new Error(`WebM: bad variable-length integer at byte ${p}`);
  const mask = 0xff >> len;
  let value = keepMarker ? first : first & mask;
  let allOnes = (first & mask) === mask;
  for (let i = 1; i < len; i++) {
    value = value * 256 + b[p + i];
    if (b[p + i] !== 0xff) allOnes = false;
  }
  return { value, len, unknown: !keepMarker && allOnes };
}

/** An 8-byte EBML size. */
function size8(n: number): Uint8Array {
  const out = new Uint8Array(8);
  let v = n;
  for (let i = 7; i >= 1; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[0] = 0x01;
  return out;
}

/** `bytes` with Info ▸ Duration set to `durationMs`; unchanged when it already has one. */
export function withWebmDuration(bytes: Uint8Array, durationMs: number): Uint8Array {
  let p = 0;
  if (bytes.length < 4 || bytes[0] !== 0x1a || bytes[1] !== 0x45 || bytes[2] !== 0xdf || bytes[3] !== 0xa3)
    throw new Error('not a WebM file (no EBML header)');
  const head = readVint(bytes, 0, true);
  if (head.value !== EBML_ID) throw new Error('not a WebM file (no EBML header)');
  const headSize = readVint(bytes, head.len, false);
  p = head.len + headSize.len + headSize.value;
  const seg = readVint(bytes, p, true);
  if (seg.value !== SEGMENT) throw new Error('WebM: no Segment after the header');
  const segSize = readVint(bytes, p + seg.len, false);
  const segBody = p + seg.len + segSize.len;
  const segEnd = segSize.unknown ? bytes.length : segBody + segSize.value;
  let q = segBody;
  while (q < segEnd) {
    const id = readVint(bytes, q, true);
    const sz = readVint(bytes, q + id.len, false);
    const body = q + id.len + sz.len;
    if (sz.unknown) break;
    if (id.value === INFO) {
      let scaleNs = 1e6;
      for (let r = body; r < body + sz.value; ) {
        const cid = readVint(bytes, r, true);
        const csz = readVint(bytes, r + cid.len, false);
        const cb = r + cid.len + csz.len;
        if (cid.value === DURATION) return bytes;
        if (cid.value === TIMECODE_SCALE) {
          scaleNs = 0;
          for (let i = cb; i < cb + csz.value; i++) scaleNs = scaleNs * 256 + bytes[i];
        }
        r = cb + csz.value;
      }
      const dur = new Uint8Array(11);
      dur[0] = 0x44;
      dur[1] = 0x89;
      dur[2] = 0x88;
      new DataView(dur.buffer).setFloat64(3, (durationMs * 1e6) / scaleNs);
      const infoBody = bytes.subarray(body, body + sz.value);
      const info = concat([
        bytes.subarray(q, q + id.len),
        size8(infoBody.length + dur.length),
        infoBody,
        dur,
      ]);
      const grown = info.length - (body + sz.value - q);
      const segHeader = segSize.unknown
        ? bytes.subarray(p, segBody)
        : concat([bytes.subarray(p, p + seg.len), size8(segSize.value + grown)]);
      return concat([
        bytes.subarray(0, p),
        segHeader,
        bytes.subarray(segBody, q),
        info,
        bytes.subarray(body + sz.value),
      ]);
    }
    q = body + sz.value;
  }
  throw new Error('WebM: no Info element in the Segment');
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
