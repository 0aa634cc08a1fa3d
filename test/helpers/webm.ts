// Minimal WebM (Matroska/EBML) reader for tests: walks the element tree (including the
// unknown-size Segment and Clusters a live MediaRecorder writes), counts the video blocks and
// takes the duration from their time codes; also the video track's DefaultDuration (ns per frame).

const SEGMENT = 0x18538067;
const CLUSTER = 0x1f43b675;
const INFO = 0x1549a966;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const TIMECODE = 0xe7;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
const BLOCK = 0xa1;
const TRACKS = 0x1654ae6b;
const TRACK_ENTRY = 0xae;
const DEFAULT_DURATION = 0x23e383;
const MASTERS = new Set([SEGMENT, CLUSTER, INFO, BLOCK_GROUP, TRACKS, TRACK_ENTRY]);

function vint(
  b: Uint8Array,
  p: number,
  keepMarker: boolean,
): { value: number; len: number; unknown: boolean } {
  const first = b[p];
  let len = 1;
  while (len <= 8 && !(first & (0x80 >> (len - 1)))) len++;
  if (len > 8) throw new Error(`bad EBML vint at ${p}`);
  let value = keepMarker ? first : first & (0xff >> len);
  let allOnes = (first & (0xff >> len)) === 0xff >> len;
  for (let i = 1; i < len; i++) {
    value = value * 256 + b[p + i];
    if (b[p + i] !== 0xff) allOnes = false;
  }
  return { value, len, unknown: !keepMarker && allOnes };
}

export interface WebmSummary {
  timecodeScaleNs: number;
  /** Duration element of Info, ms (absent in live recordings). */
  infoDurationMs: number | null;
  blocks: number;
  /** Time code of the first and last block, ms. */
  firstMs: number;
  lastMs: number;
  /** Every block's time code, ms, in file order. */
  timesMs: number[];
  /** DefaultDuration of the (last) track entry, ns, or null. */
  defaultDurationNs: number | null;
}

export function readWebm(b: Uint8Array): WebmSummary {
  const out: WebmSummary = {
    timecodeScaleNs: 1e6,
    infoDurationMs: null,
    blocks: 0,
    firstMs: Infinity,
    lastMs: -Infinity,
    timesMs: [],
    defaultDurationNs: null,
  };
  let clusterTc = 0;
  let rawDuration: number | null = null;
  const walk = (start: number, end: number) => {
    let p = start;
    while (p < end) {
      const id = vint(b, p, true);
      const size = vint(b, p + id.len, false);
      const body = p + id.len + size.len;
      const stop = size.unknown ? end : Math.min(end, body + size.value);
      if (MASTERS.has(id.value)) {
        walk(body, stop);
      } else if (id.value === TIMECODE_SCALE || id.value === TIMECODE || id.value === DEFAULT_DURATION) {
        let v = 0;
        for (let i = body; i < stop; i++) v = v * 256 + b[i];
        if (id.value === TIMECODE) clusterTc = v;
        else if (id.value === DEFAULT_DURATION) out.defaultDurationNs = v;
        else out.timecodeScaleNs = v;
      } else if (id.value === DURATION) {
        const dv = new DataView(b.buffer, b.byteOffset + body, size.value);
        rawDuration = size.value === 8 ? dv.getFloat64(0) : dv.getFloat32(0);
      } else if (id.value === SIMPLE_BLOCK || id.value === BLOCK) {
        const track = vint(b, body, false);
        const rel = new DataView(b.buffer, b.byteOffset + body + track.len, 2).getInt16(0);
        const t = ((clusterTc + rel) * out.timecodeScaleNs) / 1e6;
        out.blocks++;
        out.timesMs.push(t);
        out.firstMs = Math.min(out.firstMs, t);
        out.lastMs = Math.max(out.lastMs, t);
      }
      // An unknown-size master that is not a Segment/Cluster cannot be skipped: stop.
      if (size.unknown && !MASTERS.has(id.value)) return;
      p = size.unknown ? stop : body + size.value;
    }
  };
  walk(0, b.length);
  if (rawDuration !== null) out.infoDurationMs = (rawDuration * out.timecodeScaleNs) / 1e6;
  return out;
}
