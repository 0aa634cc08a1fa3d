// Damaged and hostile inputs, built in memory from a seed (no stored binaries), each with the
// outcome evscope must reach: refused with a message, or read (with a warning) as so many frames
// or rows. The same table drives the core readers (unit), the CLI (spawned, memory-bounded) and
// the browser (e2e), so the three paths cannot drift apart. Sizes mirror the probe of issue #13:
// a 170 KB OME-TIFF claiming 2·10⁹ planes, a 44 KB HDF5 claiming 5·10⁷ rows, a 2 MB session whose
// manifest inflates to 2 GB, a 10 MB CSV header.
import { constants, createDeflateRaw } from 'node:zlib';
import { inflateSync } from 'fflate';
import { writePicassoLocs } from '../../src/core/io/picasso';
import { crc32 } from '../../src/core/io/zip';
import { locTableFromColumns } from '../../src/core/locs/table';
import { Rng } from '../../src/core/random';
import { saveSessionFile } from '../../src/core/session/file';
import { createSession } from '../../src/core/session/model';
import { readDirectory, readTiffHeader } from '../../src/core/stack/tiff/ifd';
import { imageJDescription } from '../../src/core/stack/tiffWriter';
import { mem } from './sources';
import { omeXml, patternFrames, writeTiffFixture } from './tiffFixtures';

export const SEED = 13;

/** What must happen; `frames`/`rows` are what a successful read holds. */
export type Expected =
  | { outcome: 'refused'; message: RegExp }
  | {
      outcome: 'read';
      warning?: RegExp;
      frames?: number;
      rows?: number;
      /** 1-based frames whose pixels must be refused (the rest of the stack still reads). */
      badFrames?: { frames: number[]; message: RegExp };
    };

export interface HostileFile {
  name: string;
  bytes: Uint8Array;
}

export interface HostileCase {
  id: string;
  kind: 'stack' | 'locs' | 'session';
  /** What the case is, in the words. */
  what: string;
  /** The main file first, then sidecars. */
  build(): Promise<HostileFile[]>;
  expect: Expected;
  /** CLI run: arguments after the verb, FILE standing for the main file's path, OUT for a fresh output path. */
  cli: { args: string[]; expect: CliExpected };
  /** Shown in the browser e2e test: in a notice, or where the viewer reports a frame it cannot show. */
  browser?: { message: RegExp; where?: 'notice' | 'viewer' };
}

export interface CliExpected {
  exit: number;
  stderr?: RegExp;
  stdout?: RegExp;
  /** Characters that must NOT reach the terminal (e.g. a raw escape character). */
  notInOutput?: string[];
}

// ---------------------------------------------------------------- TIFF

const W = 64;
const H = 64;
const PAGES = 20;
const frames20 = () => patternFrames('uint16', W, H, PAGES);

function omeTiff(sizes: { c: string; z: string; t: string }): Uint8Array {
  const xml = omeXml({
    width: W,
    height: H,
    sizeC: 1,
    sizeZ: 1,
    sizeT: PAGES,
    order: 'XYCZT',
    type: 'uint16',
  })
    .replace('SizeC="1"', `SizeC="${sizes.c}"`)
    .replace('SizeZ="1"', `SizeZ="${sizes.z}"`)
    .replace(`SizeT="${PAGES}"`, `SizeT="${sizes.t}"`);
  return writeTiffFixture({ width: W, height: H, dtype: 'uint16', frames: frames20(), description: xml });
}

function imageJ(images: string, opts: { layout?: 'imagej' | 'interleaved' } = {}): Uint8Array {
  return writeTiffFixture({
    width: W,
    height: H,
    dtype: 'uint16',
    frames: frames20(),
    layout: opts.layout ?? 'imagej',
    description: imageJDescription(PAGES).replace(`images=${PAGES}`, `images=${images}`),
  });
}

/**
 * Deflate strips where page `page` (0-based) carries a seeded bit flip that still inflates to a
 * full strip of different pixels: the damage only its Adler-32 trailer can reveal.
 */
async function deflateWithFlips(page: number): Promise<Uint8Array> {
  const bytes = writeTiffFixture({
    width: W,
    height: H,
    dtype: 'uint16',
    frames: frames20(),
    compression: 8,
  });
  const src = mem(bytes, 'flipped.tif');
  const header = await readTiffHeader(src);
  let dir = await readDirectory(src, header, header.firstIfdOffset);
  for (let k = 0; k < page; k++) dir = await readDirectory(src, header, dir.nextOffset);
  const off = dir.blockOffsets[0];
  const n = dir.blockByteCounts[0];
  const expected = W * H * 2;
  const original = inflateSync(bytes.subarray(off + 2, off + n - 4));
  const rng = new Rng(SEED, page);
  for (let tries = 0; tries < 10_000; tries++) {
    const at = off + 2 + Math.floor(rng.uniform() * (n - 6));
    const bit = 1 << Math.floor(rng.uniform() * 8);
    bytes[at] ^= bit;
    try {
      const out = inflateSync(bytes.subarray(off + 2, off + n - 4));
      if (out.length === expected && out.some((v, i) => v !== original[i])) return bytes;
    } catch {
      // this flip breaks the stream (caught without a checksum): try another
    }
    bytes[at] ^= bit;
  }
  throw new Error('hostile corpus: no silent bit flip found');
}

function emptyStrip(page: number): Uint8Array {
  return writeTiffFixture({
    width: W,
    height: H,
    dtype: 'uint16',
    frames: frames20(),
    override: (f, k) => (k === page ? f.map((x) => (x.tag === 279 ? { ...x, values: [0] } : x)) : f),
  });
}

/** A small Deflate file whose single page claims 40000×40000 pixels in one strip (3.2 GB). */
function hugeFrameClaim(): Uint8Array {
  const side = 40_000;
  return writeTiffFixture({
    width: W,
    height: H,
    dtype: 'uint16',
    frames: frames20().slice(0, 2),
    compression: 8,
    override: (f) =>
      f.map((x) => (x.tag === 256 || x.tag === 257 || x.tag === 278 ? { ...x, values: [side] } : x)),
  });
}

// ---------------------------------------------------------------- localization tables

const HEADER = 'id,frame,x [nm],y [nm],sigma [nm],intensity [photon],uncertainty [nm]';

function csvRows(n: number, rng: Rng, frameOf: (i: number) => number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = (1000 + rng.uniform() * 8000).toFixed(2);
    const y = (1000 + rng.uniform() * 8000).toFixed(2);
    rows.push(`${i + 1},${frameOf(i)},${x},${y},120,${(800 + rng.uniform() * 400).toFixed(1)},12.5`);
  }
  return rows;
}

const text = (s: string) => new TextEncoder().encode(s);

function frame1e9Csv(): HostileFile[] {
  const rows = csvRows(200, new Rng(SEED, 1), (i) => 1 + (i % 100));
  rows.push(`201,1000000000,5000,5000,120,900,12.5`);
  return [{ name: 'frame-1e9.csv', bytes: text(`${HEADER}\n${rows.join('\n')}\n`) }];
}

function nonFiniteCsv(): HostileFile[] {
  const rows = csvRows(100, new Rng(SEED, 2), (i) => 1 + (i % 50));
  const bad = ['NaN', 'Infinity', '1e400', '0x10', '-Infinity', 'nan'];
  bad.forEach((v, k) => {
    rows.push(`${101 + k},${1 + k},${v},4000,120,900,12.5`);
  });
  return [{ name: 'non-finite.csv', bytes: text(`${HEADER}\n${rows.join('\n')}\n`) }];
}

function nanoimagerNonFinite(): HostileFile[] {
  const rng = new Rng(SEED, 4);
  const rows: string[] = [];
  for (let i = 0; i < 50; i++)
    rows.push(
      `0,${i},${(1000 + rng.uniform() * 5000).toFixed(1)},${(1000 + rng.uniform() * 5000).toFixed(1)},0,900,10`,
    );
  rows.push('0,50,Infinity,2000,0,900,10', '0,51,2000,0x7d0,0,900,10', '0,52,2000,2000,0,1e400,10');
  const head = 'Channel,Frame,X (nm),Y (nm),Z (nm),Photons,Background';
  return [{ name: 'nanoimager-non-finite.csv', bytes: text(`${head}\n${rows.join('\n')}\n`) }];
}

function wideHeaderCsv(): HostileFile[] {
  // 10 M fields in a 10 MB header line.
  const fields = 10_000_000;
  const b = new Uint8Array('frame,x,y'.length + (fields - 3) + 1).fill(44);
  b.set(text('frame,x,y'));
  b[b.length - 1] = 10;
  return [{ name: 'wide-header.csv', bytes: b }];
}

async function picasso(name: string, rows: number, fill: (x: Float64Array) => void): Promise<HostileFile[]> {
  const n = 1024;
  const frame = new Uint32Array(n).map((_, i) => i % 50);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const rng = new Rng(SEED, 3);
  for (let i = 0; i < n; i++) {
    x[i] = 500 + rng.uniform() * 3000;
    y[i] = 500 + rng.uniform() * 3000;
  }
  fill(x);
  const out = await writePicassoLocs(locTableFromColumns({ frame, x, y }), {
    pixelSizeNm: 100,
    width: 40,
    height: 40,
    frames: 50,
  });
  let hdf5 = out.hdf5;
  if (rows !== n) hdf5 = await resizeLocs(hdf5, rows);
  return [
    { name: `${name}.hdf5`, bytes: hdf5 },
    { name: `${name}.yaml`, bytes: text(out.yaml) },
  ];
}

/** Rewrites /locs as a chunked dataset and grows it to `rows` without writing them: HDF5 reads the unwritten chunks as fill values. */
async function resizeLocs(hdf5: Uint8Array, rows: number): Promise<Uint8Array> {
  const { loadH5wasm } = await import('../../src/core/io/picasso');
  const m = await loadH5wasm();
  const src = `/hostile-src-${rows}.h5`;
  const dst = `/hostile-dst-${rows}.h5`;
  m.Module.FS.writeFile(src, hdf5);
  const f = new m.File(src, 'r');
  const ds = f.get('locs') as InstanceType<typeof m.Dataset>;
  const meta = ds.metadata;
  const n = meta.shape![0];
  const value = ds.value as unknown as Map<string, ArrayLike<number>> | unknown[];
  f.close();
  const g = new m.File(dst, 'w');
  const members = meta.compound_type!.members;
  const data = new Map<string, Float32Array | Uint32Array>();
  // h5wasm returns compound rows as arrays in member order.
  const recs = value as unknown as number[][];
  members.forEach((mem, c) => {
    const col = mem.type === 0 ? new Uint32Array(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) col[i] = recs[i][c];
    data.set(mem.name, col);
  });
  const dtype = members.map((mem): [string, string] => [mem.name, mem.type === 0 ? '<I' : '<f']);
  const out = g.create_dataset({
    name: 'locs',
    data: data as never,
    shape: [n],
    dtype: dtype as never,
    maxshape: [null],
    chunks: [n],
  });
  out.resize([rows]);
  g.close();
  const bytes = (m.Module.FS.readFile(dst) as Uint8Array).slice();
  m.Module.FS.unlink(src);
  m.Module.FS.unlink(dst);
  return bytes;
}

/** Picasso-like /locs in gzip-compressed chunks, some of them damaged by seeded byte flips. */
async function damagedGzipLocs(): Promise<HostileFile[]> {
  const { loadH5wasm } = await import('../../src/core/io/picasso');
  const m = await loadH5wasm();
  const n = 100_000;
  const rng = new Rng(SEED, 5);
  const frame = new Uint32Array(n).map((_, i) => i % 1000);
  const x = new Float32Array(n).map(() => rng.uniform() * 40);
  const y = new Float32Array(n).map(() => rng.uniform() * 40);
  const path = '/hostile-gzip.h5';
  const f = new m.File(path, 'w');
  f.create_dataset({
    name: 'locs',
    data: new Map<string, Float32Array | Uint32Array>([
      ['frame', frame],
      ['x', x],
      ['y', y],
    ]) as never,
    shape: [n],
    dtype: [
      ['frame', '<I'],
      ['x', '<f'],
      ['y', '<f'],
    ] as never,
    chunks: [1000],
    compression: 'gzip',
    compression_opts: 4,
  });
  f.close();
  const bytes = (m.Module.FS.readFile(path) as Uint8Array).slice();
  m.Module.FS.unlink(path);
  const from = Math.floor(bytes.length * 0.3);
  for (let i = 0; i < 500; i++) bytes[from + Math.floor(rng.uniform() * bytes.length * 0.4)] ^= 0x5a;
  return [
    { name: 'damaged-gzip.hdf5', bytes },
    { name: 'damaged-gzip.yaml', bytes: text('Pixelsize: 100\n') },
  ];
}

// ---------------------------------------------------------------- sessions

/** Raw DEFLATE of `size` zero bytes, streamed (Z_RLE: seconds for gigabytes). */
async function deflatedZeros(size: number): Promise<Uint8Array> {
  const d = createDeflateRaw({ level: 1, strategy: constants.Z_RLE });
  const parts: Buffer[] = [];
  d.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise((r) => d.on('end', r));
  const chunk = Buffer.alloc(1 << 24);
  for (let left = size; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    if (!d.write(piece)) await new Promise((r) => d.once('drain', r));
  }
  d.end();
  await done;
  return new Uint8Array(Buffer.concat(parts));
}

interface RawEntry {
  name: string;
  body: Uint8Array;
  method: 0 | 8;
  size: number;
  crc: number;
}

/** A ZIP of pre-compressed entries with the sizes and CRCs given (zip.ts's writer computes its own). */
function rawZip(entries: RawEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = text(e.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, e.method, true);
    lv.setUint32(14, e.crc, true);
    lv.setUint32(18, e.body.length, true);
    lv.setUint32(22, e.size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, e.method, true);
    cv.setUint32(16, e.crc, true);
    cv.setUint32(20, e.body.length, true);
    cv.setUint32(24, e.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(local, e.body);
    central.push(cd);
    offset += local.length + e.body.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, eocd];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** CRC-32 of `size` zero bytes, in 16 MiB steps. */
function crcOfZeros(size: number): number {
  const chunk = new Uint8Array(1 << 24);
  let crc = 0;
  for (let left = size; left > 0; left -= chunk.length)
    crc = crc32(chunk.subarray(0, Math.min(left, chunk.length)), crc);
  return crc;
}

async function manifestBomb(): Promise<HostileFile[]> {
  // Zeros are not JSON, but the manifest is refused long before anyone could parse it.
  const size = 2_000_000_000;
  const body = await deflatedZeros(size);
  return [
    {
      name: 'manifest-bomb.smlm',
      bytes: rawZip([{ name: 'manifest.json', body, method: 8, size, crc: crcOfZeros(size) }]),
    },
  ];
}

async function hugeTable(): Promise<HostileFile[]> {
  const rows = 268_435_456;
  const manifest = {
    format_version: '0.2',
    formats: {
      t: {
        type: 'table',
        mode: 'binary',
        columns: 1,
        headers: ['frame'],
        dtype: ['uint8'],
        shape: [1],
        units: [''],
      },
    },
    files: [{ name: 'table.bin', type: 'table', format: 't', channel: 'default', rows }],
  };
  const m = text(JSON.stringify(manifest));
  return [
    {
      name: 'huge-table.smlm',
      bytes: rawZip([
        { name: 'manifest.json', body: m, method: 0, size: m.length, crc: crc32(m) },
        { name: 'table.bin', body: await deflatedZeros(rows), method: 8, size: rows, crc: crcOfZeros(rows) },
      ]),
    },
  ];
}

function controlTitle(): HostileFile[] {
  // What session.json's schema lets through: C1 controls (U+009B is CSI on 8-bit terminals),
  // bidirectional overrides, and a carriage return in the notes that would overwrite the line.
  const title = 'EV run \u009b2J done \u202eexe.fdp';
  const notes = 'all fine\rOVERWRITTEN';
  const session = createSession({ appVersion: 'test', title, notes, now: new Date(0) });
  const n = 10;
  const table = {
    id: 'locs',
    name: 'localizations',
    kind: 'localizations' as const,
    length: n,
    columns: {
      frame: new Uint32Array(n).map((_, i) => i),
      x: new Float64Array(n).fill(1000),
      y: new Float64Array(n).fill(2000),
    },
    units: { x: 'nm', y: 'nm' },
  };
  return [{ name: 'control-title.smlm', bytes: saveSessionFile(session, [table]) }];
}

// ---------------------------------------------------------------- the table

const planes = (n: string) =>
  new RegExp(`declares SizeC×SizeZ×SizeT = ${n} planes, but the file holds ${PAGES} pages`);

export const HOSTILE_CASES: HostileCase[] = [
  {
    id: 'ome-sizeT-2e9',
    kind: 'stack',
    what: '170 KB OME-TIFF declaring SizeT = 2e9',
    build: async () => [{ name: 'sizeT-2e9.ome.tif', bytes: omeTiff({ c: '1', z: '1', t: '2000000000' }) }],
    expect: { outcome: 'read', warning: planes('2000000000'), frames: PAGES },
    cli: {
      args: ['info', 'FILE'],
      expect: { exit: 0, stderr: planes('2000000000'), stdout: /frames\s+20\b/ },
    },
    browser: { message: /declares SizeC×SizeZ×SizeT = 2000000000 planes/ },
  },
  {
    id: 'ome-sizes-1e5',
    kind: 'stack',
    what: 'OME-TIFF declaring SizeC = SizeZ = SizeT = 1e5',
    build: async () => [
      { name: 'sizes-1e5.ome.tif', bytes: omeTiff({ c: '100000', z: '100000', t: '100000' }) },
    ],
    expect: { outcome: 'read', warning: planes('1000000000000000'), frames: PAGES },
    cli: {
      args: ['info', 'FILE'],
      expect: { exit: 0, stderr: planes('1000000000000000'), stdout: /frames\s+20\b/ },
    },
  },
  {
    id: 'ome-sizeT-0',
    kind: 'stack',
    what: 'OME SizeT = 0',
    build: async () => [{ name: 'sizeT-0.ome.tif', bytes: omeTiff({ c: '1', z: '1', t: '0' }) }],
    expect: { outcome: 'read', warning: /declares SizeT="0"; reading the 20 pages/, frames: PAGES },
    cli: { args: ['info', 'FILE'], expect: { exit: 0, stderr: /SizeT="0"/, stdout: /frames\s+20\b/ } },
  },
  {
    id: 'ome-sizeT-minus5',
    kind: 'stack',
    what: 'OME SizeT = −5',
    build: async () => [{ name: 'sizeT-minus5.ome.tif', bytes: omeTiff({ c: '1', z: '1', t: '-5' }) }],
    expect: { outcome: 'read', warning: /declares SizeT="-5"/, frames: PAGES },
    cli: { args: ['info', 'FILE'], expect: { exit: 0, stderr: /SizeT="-5"/, stdout: /frames\s+20\b/ } },
  },
  {
    id: 'imagej-images-0',
    kind: 'stack',
    what: 'ImageJ images = 0',
    build: async () => [{ name: 'images-0.tif', bytes: imageJ('0') }],
    expect: {
      outcome: 'read',
      warning: /says images="0", but the file holds 20 complete pages/,
      frames: PAGES,
    },
    cli: { args: ['info', 'FILE'], expect: { exit: 0, stderr: /images="0"/, stdout: /frames\s+20\b/ } },
    browser: { message: /says images="0", but the file holds 20 complete pages/ },
  },
  {
    id: 'imagej-images-1e6',
    kind: 'stack',
    what: 'ImageJ file claiming 1,000,000 frames',
    build: async () => [{ name: 'images-1e6.tif', bytes: imageJ('1000000') }],
    expect: { outcome: 'read', warning: /declares 1000000 frames but only 20 are complete/, frames: PAGES },
    cli: {
      args: ['info', 'FILE'],
      expect: {
        exit: 0,
        stderr: /declares 1000000 frames but only 20 are complete/,
        stdout: /frames\s+20\b/,
      },
    },
  },
  {
    id: 'imagej-truncated',
    kind: 'stack',
    what: 'ImageJ file cut after 10 of 20 frames',
    build: async () => {
      const b = imageJ(String(PAGES), { layout: 'interleaved' });
      const frameBytes = W * H * 2;
      // Interleaved pages: each IFD then its pixels; keep 10 pages and half of the 11th's pixels.
      const pageBytes = (b.length - 8) / PAGES;
      const cut = Math.round(8 + 10 * pageBytes + (pageBytes - frameBytes) + frameBytes / 2);
      return [{ name: 'truncated.tif', bytes: b.slice(0, cut) }];
    },
    expect: { outcome: 'read', warning: /cut off|truncated/, frames: 10 },
    cli: {
      args: ['info', 'FILE'],
      expect: { exit: 0, stderr: /warning: .*(cut off|truncated)/, stdout: /frames\s+10\b/ },
    },
    browser: { message: /cut off|truncated/ },
  },
  {
    id: 'deflate-flipped',
    kind: 'stack',
    what: 'flipped payload bytes in a Deflate strip',
    build: async () => [{ name: 'flipped.tif', bytes: await deflateWithFlips(7) }],
    expect: {
      outcome: 'read',
      frames: PAGES,
      badFrames: { frames: [8], message: /frame 8.*(Adler-32|corrupt|deflate)/ },
    },
    cli: {
      args: ['convert', 'FILE', '--out', 'OUT.tif'],
      expect: { exit: 1, stderr: /frame 8.*(Adler-32|corrupt|deflate)/ },
    },
  },
  {
    id: 'strip-bytecount-0',
    kind: 'stack',
    what: 'a strip with byte count 0',
    build: async () => [{ name: 'empty-strip.tif', bytes: emptyStrip(4) }],
    expect: {
      outcome: 'read',
      frames: PAGES,
      badFrames: { frames: [5], message: /frame 5: strip 1 has no data/ },
    },
    cli: {
      args: ['convert', 'FILE', '--out', 'OUT.tif'],
      expect: { exit: 1, stderr: /frame 5: strip 1 has no data/ },
    },
  },
  {
    id: 'tiff-huge-frame-claim',
    kind: 'stack',
    what: 'a 10 KB TIFF whose page claims 40000×40000 pixels',
    build: async () => [{ name: 'huge-frame.tif', bytes: hugeFrameClaim() }],
    expect: {
      outcome: 'read',
      frames: 2,
      badFrames: {
        frames: [1, 2],
        message: /strip 1 holds \d+ bytes of Deflate data, which cannot expand to the 3200000000 bytes/,
      },
    },
    cli: {
      args: ['convert', 'FILE', '--out', 'OUT.tif'],
      expect: { exit: 1, stderr: /frame 1: strip 1 holds \d+ bytes .*cannot expand to the 3200000000 bytes/ },
    },
    browser: { message: /could not be shown: .*cannot expand to the 3200000000 bytes/, where: 'viewer' },
  },
  {
    id: 'csv-frame-1e9',
    kind: 'locs',
    what: 'one CSV row in frame 1e9',
    build: async () => frame1e9Csv(),
    expect: { outcome: 'read', rows: 201 },
    cli: {
      args: ['merge', 'FILE', '--out', 'OUT.csv'],
      expect: { exit: 0, stdout: /201 localizations merged/ },
    },
  },
  {
    id: 'csv-frame-1e9-movie',
    kind: 'locs',
    what: 'one CSV row in frame 1e9, made into a movie',
    build: async () => frame1e9Csv(),
    expect: { outcome: 'read', rows: 201 },
    cli: {
      args: ['movie', 'FILE', '--sigma', '20', '--px', '50', '--out', 'OUT.tif'],
      expect: { exit: 1, stderr: /the movie would have [\d,]+ frames .*more than the limit of 100,000/ },
    },
  },
  {
    id: 'csv-non-finite',
    kind: 'locs',
    what: 'CSV values NaN, Infinity, 1e400, 0x10',
    build: async () => nonFiniteCsv(),
    expect: { outcome: 'read', rows: 100, warning: /6 rows left out|rows left out/ },
    cli: {
      args: ['convert-locs', 'FILE', '--out', 'OUT.csv'],
      expect: { exit: 0, stderr: /warning: .*rows? left out/ },
    },
    browser: { message: /rows? left out/ },
  },
  {
    id: 'nanoimager-non-finite',
    kind: 'locs',
    what: 'Nanoimager CSV values Infinity, 0x7d0, 1e400',
    build: async () => nanoimagerNonFinite(),
    expect: {
      outcome: 'read',
      rows: 50,
      warning: /1 row left out: a value in "X \(nm\)"[\s\S]*1 row left out: a value in "Y \(nm\)"/,
    },
    cli: {
      args: ['convert-locs', 'FILE', '--out', 'OUT.csv'],
      expect: { exit: 0, stderr: /warning: .*left out/ },
    },
  },
  {
    id: 'csv-wide-header',
    kind: 'locs',
    what: 'a CSV header of 10 M fields',
    build: async () => wideHeaderCsv(),
    expect: { outcome: 'refused', message: /more than 1000 fields/ },
    cli: {
      args: ['convert-locs', 'FILE', '--out', 'OUT.csv'],
      expect: { exit: 1, stderr: /more than 1000 fields/ },
    },
  },
  {
    id: 'picasso-50M-rows',
    kind: 'locs',
    what: '44 KB Picasso HDF5 declaring 50 M rows',
    build: () => picasso('rows-50M', 50_000_000, () => undefined),
    expect: { outcome: 'refused', message: /declares 50000000 rows/ },
    cli: {
      args: ['convert-locs', 'FILE', '--out', 'OUT.csv'],
      expect: { exit: 1, stderr: /declares 50000000 rows/ },
    },
    browser: { message: /declares 50000000 rows/ },
  },
  {
    id: 'picasso-damaged-gzip',
    kind: 'locs',
    what: 'Picasso HDF5 whose gzip chunks are damaged (HDF5 filter errors)',
    build: damagedGzipLocs,
    expect: { outcome: 'refused', message: /could not be read: its compressed chunks are damaged/ },
    cli: {
      args: ['convert-locs', 'FILE', '--out', 'OUT.csv'],
      expect: {
        exit: 1,
        stderr: /could not be read: its compressed chunks are damaged/,
        notInOutput: ['HDF5-DIAG'],
      },
    },
  },
  {
    id: 'picasso-nan',
    kind: 'locs',
    what: 'Picasso HDF5 with NaN and infinite positions',
    build: () =>
      picasso('nan-locs', 1024, (x) => {
        x[3] = Number.NaN;
        x[10] = Number.POSITIVE_INFINITY;
      }),
    expect: { outcome: 'read', rows: 1022, warning: /2 rows left out: x, y or frame is NaN or infinite/ },
    cli: {
      args: ['convert-locs', 'FILE', '--out', 'OUT.csv'],
      expect: { exit: 0, stderr: /2 rows left out/ },
    },
  },
  {
    id: 'session-manifest-bomb',
    kind: 'session',
    what: '2 MB session whose manifest inflates to 2 GB',
    build: manifestBomb,
    expect: {
      outcome: 'refused',
      message: /"manifest\.json" declares 2000000000 bytes, more than the limit/,
    },
    cli: {
      args: ['session', 'info', 'FILE'],
      expect: { exit: 1, stderr: /manifest\.json" declares 2000000000 bytes/ },
    },
    browser: { message: /declares 2000000000 bytes/ },
  },
  {
    id: 'session-268M-rows',
    kind: 'session',
    what: 'session table of 268 M rows',
    build: hugeTable,
    expect: { outcome: 'refused', message: /"table\.bin" declares 268435456 bytes, more than the limit/ },
    cli: { args: ['session', 'info', 'FILE'], expect: { exit: 1, stderr: /declares 268435456 bytes/ } },
  },
  {
    id: 'session-control-title',
    kind: 'session',
    what: 'control characters in a session title',
    build: async () => controlTitle(),
    expect: { outcome: 'read', rows: 10 },
    cli: {
      args: ['session', 'info', 'FILE'],
      expect: {
        exit: 0,
        stdout: /title: EV run \\u009b2J done \\u202eexe\.fdp[\s\S]*notes: all fine\\u000dOVERWRITTEN/,
        notInOutput: ['\u009b', '\u202e', '\r'],
      },
    },
  },
];

const built = new Map<string, Promise<HostileFile[]>>();

/** Each case's files, built once per process (the session bombs take a few seconds). */
export function filesOf(c: HostileCase): Promise<HostileFile[]> {
  let p = built.get(c.id);
  if (!p) {
    p = c.build();
    built.set(c.id, p);
  }
  return p;
}
