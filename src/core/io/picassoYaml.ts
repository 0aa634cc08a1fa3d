// The YAML subset Picasso writes beside its HDF5 files: several documents separated by "---",
// each a flat mapping of "Key: value" lines whose values are scalars, or "Key:" followed by
// "- item" lines (lists). Anything else (nested mappings, anchors, flow collections) is kept as
// its raw text, never evaluated: the reader needs only a few keys and must not fail on the rest.

export type YamlValue = string | number | boolean | null | YamlValue[];
export type YamlDoc = Record<string, YamlValue>;

function scalar(raw: string): YamlValue {
  const s = raw.trim();
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True') return true;
  if (s === 'false' || s === 'False') return false;
  if (/^'.*'$/.test(s)) return s.slice(1, -1).replace(/''/g, "'");
  if (/^".*"$/.test(s)) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(s)) return Number.NaN;
  return s;
}

const MAX_DOCS = 64;
const MAX_KEYS = 10_000;

/** Parses Picasso's multi-document YAML into one plain object per document. */
export function parsePicassoYaml(text: string): YamlDoc[] {
  const docs: YamlDoc[] = [];
  let doc: YamlDoc = Object.create(null);
  let keys = 0;
  let listKey: string | null = null;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const flush = () => {
    if (Object.keys(doc).length) docs.push({ ...doc });
    doc = Object.create(null);
    listKey = null;
  };
  for (const line of lines) {
    if (docs.length >= MAX_DOCS) break;
    if (/^---\s*$/.test(line) || /^\.\.\.\s*$/.test(line)) {
      flush();
      continue;
    }
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const item = /^\s*-\s?(.*)$/.exec(line);
    if (item && listKey !== null) {
      const list = doc[listKey];
      if (Array.isArray(list) && list.length < 1_000_000) list.push(scalar(item[1]));
      continue;
    }
    if (/^\s/.test(line)) continue; // nested content we do not need
    const kv = /^([^:#][^:]*?):(?:\s+(.*)|\s*)$/.exec(line);
    if (!kv || keys >= MAX_KEYS) continue;
    const key = kv[1].trim();
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    keys++;
    if (kv[2] === undefined || kv[2].trim() === '') {
      doc[key] = [];
      listKey = key;
    } else {
      doc[key] = scalar(kv[2]);
      listKey = null;
    }
  }
  flush();
  return docs;
}

export interface PicassoInfo {
  pixelSizeNm?: number;
  width?: number;
  height?: number;
  frames?: number;
}

function positive(v: YamlValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * The few facts evscope needs. Later documents win (Picasso appends one per processing step, and
 * Localize's "Pixelsize" overrides the movie's "Camera.Pixelsize").
 */
export function picassoInfo(docs: readonly YamlDoc[]): PicassoInfo {
  const info: PicassoInfo = {};
  for (const d of docs) {
    info.pixelSizeNm = positive(d.Pixelsize) ?? info.pixelSizeNm ?? positive(d['Camera.Pixelsize']);
    info.width = positive(d.Width) ?? info.width;
    info.height = positive(d.Height) ?? info.height;
    info.frames = positive(d.Frames) ?? info.frames;
  }
  return info;
}

function fmt(v: YamlValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string')
    return /^[A-Za-z0-9_. /()-]*$/.test(v) && scalar(v) === v ? v : JSON.stringify(v);
  return String(v);
}

/** Writes documents in Picasso's style (keys sorted as PyYAML does, lists as "- item"). */
export function writePicassoYaml(docs: readonly YamlDoc[]): string {
  return docs
    .map((d) =>
      Object.keys(d)
        .sort()
        .map((k) => {
          const v = d[k];
          return Array.isArray(v) ? `${k}:\n${v.map((x) => `- ${fmt(x)}`).join('\n')}` : `${k}: ${fmt(v)}`;
        })
        .join('\n'),
    )
    .join('\n---\n')
    .concat('\n');
}
