// Trajectory import/export.
// - ThunderSTORM-style CSV with a track column: comma-separated (tab or semicolon also
//   accepted), quoted or bare headers. Track column: the first header named "track",
//   "track_id"/"track id"/"trackid", else "trajectory"/"traj", else "id". Required: frame
//   (1-based, as ThunderSTORM writes), x and y; optional: intensity. Units come from the
//   bracket in the header: [nm] (also the default without a bracket), [um]/[µm], or [px]/[pixel]
//   (then `pixelSize` is required).
// - 7-column SPT text: whitespace- or tab-separated numbers, optional header line, `#`/`%`
//   comment lines. Assumed meaning: col 1 frame, col 2 x [px], col 3 y [px], col 4 intensity;
//   further columns (background, width, … — they differ between programs) are ignored, but every
//   data line must have the same number of columns (≥ 4). Trajectories are told apart by a
//   track-id column if `trackColumn` is given; otherwise a new trajectory starts after a blank
//   line or where the frame number does not increase (files that concatenate trajectories).
import { writeResultCsv } from '../io/resultCsv';
import { sortTrackTable, type TrackTable } from './types';

export class TrackImportError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(line > 0 ? `line ${line}: ${message}` : message);
    this.name = 'TrackImportError';
  }
}

interface Builder {
  track: number[];
  frame: number[];
  x: number[];
  y: number[];
  intensity: number[];
}

function builder(): Builder {
  return { track: [], frame: [], x: [], y: [], intensity: [] };
}

function finish(b: Builder): TrackTable {
  return sortTrackTable({
    length: b.track.length,
    columns: {
      track: Uint32Array.from(b.track),
      frame: Uint32Array.from(b.frame),
      x: Float64Array.from(b.x),
      y: Float64Array.from(b.y),
      intensity: Float64Array.from(b.intensity),
    },
  });
}

function parseNumber(s: string, what: string, line: number): number {
  const t = s.trim();
  const v = t === '' ? Number.NaN : Number(t);
  if (!Number.isFinite(v)) throw new TrackImportError(`${what} "${t}" is not a number`, line);
  return v;
}

/** Intensity is optional: an empty cell or NaN (as tracksToCsv writes for a missing value) stays NaN. */
function parseOptionalNumber(s: string, what: string, line: number): number {
  const t = s.trim();
  return t === '' || t === 'NaN' ? Number.NaN : parseNumber(t, what, line);
}

function parseFrame(s: string, base: number, line: number): number {
  const v = parseNumber(s, 'frame', line);
  if (!Number.isInteger(v) || v < base)
    throw new TrackImportError(`frame ${v} is not an integer ≥ ${base} (frames are ${base}-based)`, line);
  return v - base;
}

function parseTrackId(s: string, line: number): number {
  const v = parseNumber(s, 'track id', line);
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new TrackImportError(`track id ${v} is not a non-negative integer`, line);
  return v;
}

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

export interface CsvImportOptions {
  /** Camera pixel size (nm) for columns given in px. */
  pixelSize?: number;
  /** First frame number in the file; ThunderSTORM writes 1 (default). */
  frameBase?: 0 | 1;
}

function unitScale(header: string, pixelSize: number | undefined, line: number): number {
  const m = /\[([^\]]*)\]/.exec(header);
  const unit = m ? m[1].trim().toLowerCase() : 'nm';
  if (unit === 'nm') return 1;
  if (unit === 'um' || unit === 'µm' || unit === 'μm') return 1000;
  if (unit === 'px' || unit === 'pixel' || unit === 'pixels') {
    if (!(pixelSize && pixelSize > 0))
      throw new TrackImportError(`column "${header}" is in pixels: give the camera pixel size`, line);
    return pixelSize;
  }
  throw new TrackImportError(`column "${header}": unknown unit "${unit}"`, line);
}

/** Parses a ThunderSTORM-style CSV with a track column (see the module comment). */
export function parseTrackCsv(text: string, options: CsvImportOptions = {}): TrackTable {
  const lines = splitLines(text);
  let h = 0;
  while (h < lines.length && lines[h].trim() === '') h++;
  if (h === lines.length) throw new TrackImportError('the file is empty', 0);
  const headerLine = lines[h];
  const sep = headerLine.includes(',') ? ',' : headerLine.includes('\t') ? '\t' : ';';
  const headers = headerLine.split(sep).map((s) =>
    s
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim(),
  );
  const bare = headers.map((s) =>
    s
      .replace(/\[[^\]]*\]/, '')
      .trim()
      .toLowerCase(),
  );
  const find = (...names: string[]) => {
    for (const n of names) {
      const i = bare.indexOf(n);
      if (i >= 0) return i;
    }
    return -1;
  };
  const iTrack = find('track', 'track_id', 'track id', 'trackid', 'trajectory', 'traj', 'id');
  const iFrame = find('frame', 't');
  const iX = find('x');
  const iY = find('y');
  const iI = find('intensity', 'photons');
  const missing = [
    [iTrack, 'a track column ("track", "trajectory" or "id")'],
    [iFrame, '"frame"'],
    [iX, '"x [nm]"'],
    [iY, '"y [nm]"'],
  ].filter(([i]) => i === -1);
  if (missing.length)
    throw new TrackImportError(`header lacks ${missing.map(([, s]) => s).join(', ')}`, h + 1);
  const sx = unitScale(headers[iX], options.pixelSize, h + 1);
  const sy = unitScale(headers[iY], options.pixelSize, h + 1);
  const base = options.frameBase ?? 1;
  const b = builder();
  for (let li = h + 1; li < lines.length; li++) {
    const raw = lines[li];
    if (raw.trim() === '') continue;
    const line = li + 1;
    const f = raw.split(sep);
    if (f.length !== headers.length)
      throw new TrackImportError(`expected ${headers.length} fields, found ${f.length}`, line);
    b.track.push(parseTrackId(f[iTrack], line));
    b.frame.push(parseFrame(f[iFrame], base, line));
    b.x.push(parseNumber(f[iX], 'x', line) * sx);
    b.y.push(parseNumber(f[iY], 'y', line) * sy);
    b.intensity.push(iI >= 0 ? parseOptionalNumber(f[iI], 'intensity', line) : Number.NaN);
  }
  try {
    return finish(b);
  } catch (e) {
    throw new TrackImportError((e as Error).message, 0);
  }
}

export interface TextImportOptions {
  /** Camera pixel size in nm (x, y are in pixels). */
  pixelSize: number;
  /** Number of the first frame: 0 or 1. */
  frameBase: 0 | 1;
  /** 0-based column holding a track id; when absent, see the module comment. */
  trackColumn?: number;
}

/** Parses the 7-column SPT text (see the module comment). */
export function parseSptText(text: string, options: TextImportOptions): TrackTable {
  if (!(options.pixelSize > 0)) throw new TrackImportError('pixel size must be > 0', 0);
  const lines = splitLines(text);
  const b = builder();
  let columns = -1;
  let seenData = false;
  let track = 0;
  let prevFrame = -1;
  let newTrack = false;
  for (let li = 0; li < lines.length; li++) {
    const line = li + 1;
    const raw = lines[li].trim();
    if (raw === '') {
      newTrack = seenData;
      continue;
    }
    if (raw.startsWith('#') || raw.startsWith('%')) continue;
    const f = raw.split(/\s+/);
    if (!seenData && !/^[-+]?(\d|\.\d)/.test(f[0])) {
      if (columns !== -1) throw new TrackImportError('unexpected text line', line);
      columns = -2; // a header was seen; data must follow
      continue;
    }
    if (f.length < 4) throw new TrackImportError(`expected ≥ 4 columns, found ${f.length}`, line);
    if (!seenData) columns = f.length;
    else if (f.length !== columns)
      throw new TrackImportError(
        `expected ${columns} columns like the first data line, found ${f.length}`,
        line,
      );
    seenData = true;
    const frame = parseFrame(f[0], options.frameBase, line);
    let id: number;
    if (options.trackColumn !== undefined) {
      if (options.trackColumn >= f.length)
        throw new TrackImportError(`no track column ${options.trackColumn + 1}`, line);
      id = parseTrackId(f[options.trackColumn], line);
    } else {
      if (b.track.length && (newTrack || frame <= prevFrame)) track++;
      id = track;
    }
    newTrack = false;
    prevFrame = frame;
    b.track.push(id);
    b.frame.push(frame);
    b.x.push(parseNumber(f[1], 'x', line) * options.pixelSize);
    b.y.push(parseNumber(f[2], 'y', line) * options.pixelSize);
    b.intensity.push(parseNumber(f[3], 'intensity', line));
  }
  if (!seenData) throw new TrackImportError('no data lines', 0);
  try {
    return finish(b);
  } catch (e) {
    throw new TrackImportError((e as Error).message, 0);
  }
}

/** Tracks as ThunderSTORM-style CSV (frames 1-based, nm), readable by parseTrackCsv. */
export function tracksToCsv(t: TrackTable): string {
  return writeResultCsv(t, {
    order: ['track', 'frame', 'x', 'y', 'intensity'],
    headers: { x: 'x [nm]', y: 'y [nm]' },
    offsets: { frame: 1 },
  });
}

/**
 * 'csv' (ThunderSTORM-style, with a header naming a track column) or 'text' (7-column SPT text),
 * from the first line that is neither blank nor a comment: commas or semicolons, or a header
 * naming a track column, mean CSV; whitespace-separated numbers or another header mean text.
 */
export function detectTrackFormat(text: string): 'csv' | 'text' {
  for (const raw of splitLines(text)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('%')) continue;
    if (line.includes(',') || line.includes(';')) return 'csv';
    const fields = line.split(/\s+/);
    if (fields.every((f) => Number.isFinite(Number(f)))) return 'text';
    const names = line.split('\t').map((f) =>
      f
        .replace(/\[[^\]]*\]/, '')
        .trim()
        .replace(/^"|"$/g, '')
        .toLowerCase(),
    );
    const trackNames = ['track', 'track_id', 'track id', 'trackid', 'trajectory', 'traj', 'id'];
    return names.some((n) => trackNames.includes(n)) ? 'csv' : 'text';
  }
  return 'csv';
}
