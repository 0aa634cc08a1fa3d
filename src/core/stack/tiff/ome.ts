// OME-XML, read with a small tolerant scan (core has no DOMParser): the first Image's Pixels
// element (sizes, DimensionOrder, physical size, time increment), its Channel names and the
// TiffData elements that map planes to IFDs.
import { msPerUnit, nmPerUnit } from './units';

export interface OmeInfo {
  sizeX: number;
  sizeY: number;
  sizeC: number;
  sizeZ: number;
  sizeT: number;
  dimensionOrder: string;
  pixelType?: string;
  pixelSizeNm?: number;
  frameIntervalMs?: number;
  channelNames: string[];
  imageCount: number;
  /**
   * IFD of plane (c, z, t) at index c + C·(z + Z·t), or -1 when this file does not hold it.
   * Undefined when the sizes are invalid or claim more planes than `maxPlanes` (see `problem`):
   * the plane table is never allocated from claims the file cannot back.
   */
  planeIfd?: Int32Array;
  /** Why the sizes cannot be trusted, e.g. "declares SizeT=0"; undefined when they can. */
  problem?: string;
  /** Some TiffData blocks name another file of a multi-file dataset. */
  multiFile: boolean;
}

/** Largest plane table built for a multi-file dataset (whose planes this file cannot count). */
export const MAX_OME_PLANES = 10_000_000;

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out[m[1]] = m[3] ?? m[4] ?? '';
  return out;
}

/** Start tags named `name` (any namespace prefix) within `xml`. */
function startTags(xml: string, name: string): string[] {
  const re = new RegExp(`<(?:[\\w-]+:)?${name}(?=[\\s/>])[^>]*>`, 'g');
  return [...xml.matchAll(re)].map((m) => m[0]);
}

function sectionOf(xml: string, name: string): string | undefined {
  const open = new RegExp(`<(?:[\\w-]+:)?${name}(?=[\\s/>])`).exec(xml);
  if (!open) return undefined;
  const close = new RegExp(`</(?:[\\w-]+:)?${name}\\s*>`).exec(xml.slice(open.index));
  return close ? xml.slice(open.index, open.index + close.index) : xml.slice(open.index);
}

const positiveInt = (v: string | undefined, d: number) => {
  const n = Number.parseInt(v ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : d;
};

export function isOmeXml(text: string | undefined): boolean {
  return !!text && /<(?:[\w-]+:)?OME[\s>]/.test(text) && /<(?:[\w-]+:)?Pixels[\s>]/.test(text);
}

/** A size attribute that is a whole number ≥ 1, or undefined. */
function declaredSize(v: string | undefined): number | undefined {
  if (v === undefined || !/^\s*\d{1,16}\s*$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 ? n : undefined;
}

/**
 * Parses OME-XML; `fileName` decides which TiffData blocks (by UUID FileName) belong to this file.
 * `pages` is the length of this file's IFD chain: a single-file dataset that claims more planes
 * than that gets no plane table and a `problem` instead (the caller then trusts the chain).
 */
export function parseOmeXml(xml: string, fileName: string, pages = MAX_OME_PLANES): OmeInfo | undefined {
  const image = sectionOf(xml, 'Image');
  if (!image) return undefined;
  const pixels = sectionOf(image, 'Pixels');
  const pixelsTag = pixels && startTags(pixels, 'Pixels')[0];
  if (!pixels || !pixelsTag) return undefined;
  const a = attributes(pixelsTag);
  const declared = {
    SizeC: declaredSize(a.SizeC),
    SizeZ: declaredSize(a.SizeZ),
    SizeT: declaredSize(a.SizeT),
  };
  const sizeC = declared.SizeC ?? 1;
  const sizeZ = declared.SizeZ ?? 1;
  const sizeT = declared.SizeT ?? 1;
  const tiffDataBlocks = [
    ...pixels.matchAll(
      /<(?:[\w-]+:)?TiffData(?=[\s/>])[^>]*?(?:\/>|>([\s\S]*?)<\/(?:[\w-]+:)?TiffData\s*>)/g,
    ),
  ];
  const baseName = fileName.split(/[\\/]/).pop() ?? fileName;
  const otherFile = (m: RegExpMatchArray) => {
    const uuidTag = m[1] ? startTags(m[1], 'UUID')[0] : undefined;
    const other = uuidTag ? attributes(uuidTag).FileName : undefined;
    return !!other && other !== baseName;
  };
  const multiFile = tiffDataBlocks.some(otherFile);
  const px = Number.parseFloat(a.PhysicalSizeX ?? '');
  const pxUnit = nmPerUnit(a.PhysicalSizeXUnit ?? 'µm');
  const dt = Number.parseFloat(a.TimeIncrement ?? '');
  const dtUnit = msPerUnit(a.TimeIncrementUnit ?? 's');
  const total = sizeC * sizeZ * sizeT;
  const limit = multiFile ? MAX_OME_PLANES : pages;
  const bad = Object.entries(declared)
    .filter(([, v]) => v === undefined)
    .map(([k]) => `${k}=${JSON.stringify((a[k] ?? '(missing)').slice(0, 24))}`);
  const problem = bad.length
    ? `declares ${bad.join(', ')}`
    : total > limit
      ? `declares SizeC×SizeZ×SizeT = ${total} planes, but the file holds ${pages} pages`
      : undefined;
  const info: OmeInfo = {
    sizeX: positiveInt(a.SizeX, 0),
    sizeY: positiveInt(a.SizeY, 0),
    sizeC,
    sizeZ,
    sizeT,
    dimensionOrder: /^XY[CZT]{3}$/.test(a.DimensionOrder ?? '') ? a.DimensionOrder : 'XYCZT',
    pixelType: a.Type,
    pixelSizeNm: px > 0 && pxUnit ? px * pxUnit : undefined,
    frameIntervalMs: dt > 0 && dtUnit ? dt * dtUnit : undefined,
    channelNames: startTags(pixels, 'Channel')
      .slice(0, 64)
      .map((t, i) => attributes(t).Name ?? `C${i}`),
    imageCount: startTags(xml, 'Image').length,
    multiFile,
    problem,
  };
  if (problem) return info;
  info.planeIfd = planeTable(info, tiffDataBlocks, otherFile);
  return info;
}

function planeTable(
  info: OmeInfo,
  tiffDataBlocks: RegExpMatchArray[],
  otherFile: (m: RegExpMatchArray) => boolean,
): Int32Array {
  const { sizeC, sizeZ, sizeT } = info;
  const order = info.dimensionOrder;
  const sizeOf: Record<string, number> = { C: sizeC, Z: sizeZ, T: sizeT };
  // Rank of plane (c, z, t) in DimensionOrder: the first letter after XY varies fastest.
  const strides: Record<string, number> = {};
  let s = 1;
  for (const d of order.slice(2)) {
    strides[d] = s;
    s *= sizeOf[d];
  }
  const total = sizeC * sizeZ * sizeT;
  const rankOf = (c: number, z: number, t: number) => c * strides.C + z * strides.Z + t * strides.T;
  const planeIfd = new Int32Array(total).fill(-1);
  const byRank = new Int32Array(total);
  for (let t = 0; t < sizeT; t++)
    for (let z = 0; z < sizeZ; z++)
      for (let c = 0; c < sizeC; c++) byRank[rankOf(c, z, t)] = c + sizeC * (z + sizeZ * t);

  if (tiffDataBlocks.length === 0) {
    for (let r = 0; r < total; r++) planeIfd[byRank[r]] = r;
  }
  for (const m of tiffDataBlocks) {
    const td = attributes(m[0].slice(0, m[0].indexOf('>') + 1));
    if (otherFile(m)) continue;
    const explicit =
      td.IFD !== undefined || td.FirstC !== undefined || td.FirstZ !== undefined || td.FirstT !== undefined;
    const ifd = Number.parseInt(td.IFD ?? '0', 10) || 0;
    const first = rankOf(
      Number.parseInt(td.FirstC ?? '0', 10) || 0,
      Number.parseInt(td.FirstZ ?? '0', 10) || 0,
      Number.parseInt(td.FirstT ?? '0', 10) || 0,
    );
    const count = positiveInt(td.PlaneCount, explicit && tiffDataBlocks.length > 1 ? 1 : total - first);
    for (let k = 0; k < count && first + k < total; k++) planeIfd[byRank[first + k]] = ifd + k;
  }
  return planeIfd;
}
