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
  /** IFD of plane (c, z, t) at index c + C·(z + Z·t), or -1 when this file does not hold it. */
  planeIfd: Int32Array;
}

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

/** Parses OME-XML; `fileName` decides which TiffData blocks (by UUID FileName) belong to this file. */
export function parseOmeXml(xml: string, fileName: string): OmeInfo | undefined {
  const image = sectionOf(xml, 'Image');
  if (!image) return undefined;
  const pixels = sectionOf(image, 'Pixels');
  const pixelsTag = pixels && startTags(pixels, 'Pixels')[0];
  if (!pixels || !pixelsTag) return undefined;
  const a = attributes(pixelsTag);
  const sizeC = positiveInt(a.SizeC, 1);
  const sizeZ = positiveInt(a.SizeZ, 1);
  const sizeT = positiveInt(a.SizeT, 1);
  const order = /^XY[CZT]{3}$/.test(a.DimensionOrder ?? '') ? a.DimensionOrder : 'XYCZT';
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

  const tiffDataBlocks = [
    ...pixels.matchAll(
      /<(?:[\w-]+:)?TiffData(?=[\s/>])[^>]*?(?:\/>|>([\s\S]*?)<\/(?:[\w-]+:)?TiffData\s*>)/g,
    ),
  ];
  if (tiffDataBlocks.length === 0) {
    for (let r = 0; r < total; r++) planeIfd[byRank[r]] = r;
  }
  const baseName = fileName.split(/[\\/]/).pop() ?? fileName;
  for (const m of tiffDataBlocks) {
    const td = attributes(m[0].slice(0, m[0].indexOf('>') + 1));
    const uuidTag = m[1] ? startTags(m[1], 'UUID')[0] : undefined;
    const other = uuidTag ? attributes(uuidTag).FileName : undefined;
    if (other && other !== baseName) continue;
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

  const px = Number.parseFloat(a.PhysicalSizeX ?? '');
  const pxUnit = nmPerUnit(a.PhysicalSizeXUnit ?? 'µm');
  const dt = Number.parseFloat(a.TimeIncrement ?? '');
  const dtUnit = msPerUnit(a.TimeIncrementUnit ?? 's');
  return {
    sizeX: positiveInt(a.SizeX, 0),
    sizeY: positiveInt(a.SizeY, 0),
    sizeC,
    sizeZ,
    sizeT,
    dimensionOrder: order,
    pixelType: a.Type,
    pixelSizeNm: px > 0 && pxUnit ? px * pxUnit : undefined,
    frameIntervalMs: dt > 0 && dtUnit ? dt * dtUnit : undefined,
    channelNames: startTags(pixels, 'Channel').map((t, i) => attributes(t).Name ?? `C${i}`),
    imageCount: startTags(xml, 'Image').length,
    planeIfd,
  };
}
