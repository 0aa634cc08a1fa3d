// Minimal MP4 (ISO BMFF) reader for tests, independent of the muxer that wrote the file: walks
// moov/trak/mdia/minf/stbl, and reads the movie and media durations (mvhd, mdhd) and the sample
// time table (stts) of the first video track.

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);

export interface Mp4Summary {
  /** Movie header: duration / timescale, s. */
  movieDurationS: number;
  /** Media header of the video track: duration in its own timescale. */
  mediaTimescale: number;
  mediaDuration: number;
  /** Sample count and per-sample duration (media timescale), expanded from stts. */
  sampleDeltas: number[];
  /** Sample entry of the video track ('avc1', 'vp09', …). */
  codec: string;
}

export function readMp4(b: Uint8Array): Mp4Summary {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Mp4Summary = {
    movieDurationS: NaN,
    mediaTimescale: NaN,
    mediaDuration: NaN,
    sampleDeltas: [],
    codec: '',
  };
  let inVideo = false;
  const fourcc = (p: number) => String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3]);
  const timeHeader = (body: number) => {
    const v1 = b[body] === 1;
    const ts = dv.getUint32(body + (v1 ? 20 : 12));
    const d = v1 ? Number(dv.getBigUint64(body + 24)) : dv.getUint32(body + 16);
    return { ts, d };
  };
  const walk = (start: number, end: number) => {
    for (let p = start; p < end; ) {
      let size = dv.getUint32(p);
      const type = fourcc(p + 4);
      let body = p + 8;
      if (size === 1) {
        size = Number(dv.getBigUint64(p + 8));
        body += 8;
      } else if (size === 0) size = end - p;
      if (type === 'trak') inVideo = false;
      if (CONTAINERS.has(type)) walk(body, p + size);
      else if (type === 'mvhd') {
        const { ts, d } = timeHeader(body);
        out.movieDurationS = d / ts;
      } else if (type === 'hdlr' && fourcc(body + 8) === 'vide') inVideo = true;
      else if (type === 'mdhd') {
        const { ts, d } = timeHeader(body);
        out.mediaTimescale = ts;
        out.mediaDuration = d;
      } else if (type === 'stsd' && inVideo) out.codec = fourcc(body + 8 + 4);
      else if (type === 'stts' && inVideo) {
        const n = dv.getUint32(body + 4);
        for (let i = 0; i < n; i++) {
          const count = dv.getUint32(body + 8 + 8 * i);
          const delta = dv.getUint32(body + 12 + 8 * i);
          for (let j = 0; j < count; j++) out.sampleDeltas.push(delta);
        }
      }
      p += size;
    }
  };
  walk(0, b.length);
  return out;
}
