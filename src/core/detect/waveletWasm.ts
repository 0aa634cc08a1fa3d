// The default à trous wavelet filter (five symmetric taps, levels 1 and 2, margin 4) in
// WebAssembly SIMD, four pixels per instruction: in JavaScript each separable pass costs about
// 3 ns per pixel whatever the loop shape (typed-array loads and float conversions), which made
// the filter over half of a frame's localization time. Same passes and the same border rules as
// the JavaScript path in filters.ts (ThunderSTORM's duplicate padding, zero beyond), in float32
// arithmetic; tests check both against a naive 2-D reference and each other.
//
// Buffers live in one WebAssembly.Memory per filter (byte addresses below). Rows are packed at
// their true width; a vector that runs past a row's end spills into the next row, which is
// written after it, or into slack after the buffer, so only the moments need an exact tail.
import { assembleModule, Body, F32, I32, OP, SIMD } from './wasmWriter';

const M = 4; // margin = radius of the level-2 kernel
const f32x4 = (b: Body, op: number) => b.simd(op);

/** h1[y][X] = k1 ⊛ (row y padded by duplication to w + 8, zero beyond), X < w + 8. */
function rowsPass(): Body {
  // (img, w, h, prow, h1, a0, a1, a2)
  const b = new Body([I32, I32, I32, I32, I32, F32, F32, F32]);
  const [img, w, h, prow, h1, a0, a1, a2] = [0, 1, 2, 3, 4, 5, 6, 7];
  const y = b.local(I32);
  const x = b.local(I32);
  const src = b.local(I32);
  const dst = b.local(I32);
  const rowBytes = b.local(I32);
  const padBytes = b.local(I32);
  const left = b.local(F32);
  const right = b.local(F32);
  const va0 = b.local(0x7b);
  const va1 = b.local(0x7b);
  const va2 = b.local(0x7b);
  b.get(a0).simd(SIMD.f32x4Splat).set(va0);
  b.get(a1).simd(SIMD.f32x4Splat).set(va1);
  b.get(a2).simd(SIMD.f32x4Splat).set(va2);
  b.get(w).i32(2).op(OP.i32Shl).set(rowBytes);
  b.get(w)
    .i32(2 * M)
    .op(OP.i32Add)
    .i32(2)
    .op(OP.i32Shl)
    .set(padBytes);
  b.get(h1).set(dst);
  b.forLoop(
    y,
    () => b.i32(0),
    h,
    1,
    () => {
      b.get(img).get(y).get(rowBytes).op(OP.i32Mul).op(OP.i32Add).set(src);
      b.get(src).f32Load().set(left);
      b.get(src).get(rowBytes).op(OP.i32Add).i32(4).op(OP.i32Sub).f32Load().set(right);
      // prow: [0 0][left ×4][row][right ×4][0 0 …]
      for (let k = 0; k < M; k++)
        b.get(prow)
          .get(left)
          .f32Store(8 + 4 * k);
      b.get(prow)
        .i32(8 + 4 * M)
        .op(OP.i32Add)
        .get(src)
        .get(rowBytes)
        .op(...OP.memoryCopy);
      for (let k = 0; k < M; k++)
        b.get(prow)
          .get(rowBytes)
          .op(OP.i32Add)
          .get(right)
          .f32Store(8 + 4 * M + 4 * k);
      b.forLoop(
        x,
        () => b.i32(0),
        padBytes,
        16,
        () => {
          b.get(dst).get(x).op(OP.i32Add);
          b.get(prow).get(x).op(OP.i32Add).set(src); // src reused as the tap pointer
          b.get(src).v128Load(0).get(src).v128Load(16);
          f32x4(b, SIMD.f32x4Add).get(va2);
          f32x4(b, SIMD.f32x4Mul);
          b.get(src).v128Load(4).get(src).v128Load(12);
          f32x4(b, SIMD.f32x4Add).get(va1);
          f32x4(b, SIMD.f32x4Mul);
          f32x4(b, SIMD.f32x4Add);
          b.get(src).v128Load(8).get(va0);
          f32x4(b, SIMD.f32x4Mul);
          f32x4(b, SIMD.f32x4Add);
          b.v128Store();
        },
      );
      b.get(dst).get(padBytes).op(OP.i32Add).set(dst);
    },
  );
  return b;
}

/** v1[Y] = k1 down the columns: rows through `rowtab` (addresses; a zero row beyond the padding). */
function columnsPass(): Body {
  // (rowtab, v1, pw, ph, a0, a1, a2)
  const b = new Body([I32, I32, I32, I32, F32, F32, F32]);
  const [rowtab, v1, pw, ph, a0, a1, a2] = [0, 1, 2, 3, 4, 5, 6];
  const Y = b.local(I32);
  const x = b.local(I32);
  const dst = b.local(I32);
  const bytes = b.local(I32);
  const r = [b.local(I32), b.local(I32), b.local(I32), b.local(I32), b.local(I32)];
  const va0 = b.local(0x7b);
  const va1 = b.local(0x7b);
  const va2 = b.local(0x7b);
  b.get(a0).simd(SIMD.f32x4Splat).set(va0);
  b.get(a1).simd(SIMD.f32x4Splat).set(va1);
  b.get(a2).simd(SIMD.f32x4Splat).set(va2);
  b.get(pw).i32(2).op(OP.i32Shl).set(bytes);
  b.get(v1).set(dst);
  b.forLoop(
    Y,
    () => b.i32(0),
    ph,
    1,
    () => {
      for (let k = 0; k < 5; k++)
        b.get(rowtab)
          .get(Y)
          .i32(2)
          .op(OP.i32Shl)
          .op(OP.i32Add)
          .i32Load(4 * k)
          .set(r[k]);
      b.forLoop(
        x,
        () => b.i32(0),
        bytes,
        16,
        () => {
          b.get(dst).get(x).op(OP.i32Add);
          b.get(r[0]).get(x).op(OP.i32Add).v128Load();
          b.get(r[4]).get(x).op(OP.i32Add).v128Load();
          f32x4(b, SIMD.f32x4Add).get(va2);
          f32x4(b, SIMD.f32x4Mul);
          b.get(r[1]).get(x).op(OP.i32Add).v128Load();
          b.get(r[3]).get(x).op(OP.i32Add).v128Load();
          f32x4(b, SIMD.f32x4Add).get(va1);
          f32x4(b, SIMD.f32x4Mul);
          f32x4(b, SIMD.f32x4Add);
          b.get(r[2]).get(x).op(OP.i32Add).v128Load().get(va0);
          f32x4(b, SIMD.f32x4Mul);
          f32x4(b, SIMD.f32x4Add);
          b.v128Store();
        },
      );
      b.get(dst).get(bytes).op(OP.i32Add).set(dst);
    },
  );
  return b;
}

/** h2[Y][x] = k2 (taps 2 px apart) along V1's row Y at crop column x, for all padded rows. */
function atrousRowsPass(): Body {
  // (v1, h2, w, ph, b0, b1, b2)
  const b = new Body([I32, I32, I32, I32, F32, F32, F32]);
  const [v1, h2, w, ph, b0, b1, b2] = [0, 1, 2, 3, 4, 5, 6];
  const Y = b.local(I32);
  const x = b.local(I32);
  const src = b.local(I32);
  const dst = b.local(I32);
  const c = b.local(I32);
  const rowBytes = b.local(I32);
  const vb0 = b.local(0x7b);
  const vb1 = b.local(0x7b);
  const vb2 = b.local(0x7b);
  b.get(b0).simd(SIMD.f32x4Splat).set(vb0);
  b.get(b1).simd(SIMD.f32x4Splat).set(vb1);
  b.get(b2).simd(SIMD.f32x4Splat).set(vb2);
  b.get(w).i32(2).op(OP.i32Shl).set(rowBytes);
  b.get(v1)
    .i32(4 * M)
    .op(OP.i32Add)
    .set(src); // crop column 0 of row 0
  b.get(h2).set(dst);
  b.forLoop(
    Y,
    () => b.i32(0),
    ph,
    1,
    () => {
      b.forLoop(
        x,
        () => b.i32(0),
        rowBytes,
        16,
        () => {
          b.get(dst).get(x).op(OP.i32Add);
          b.get(src).get(x).op(OP.i32Add).i32(16).op(OP.i32Sub).tee(c).v128Load(0);
          b.get(c).v128Load(32);
          f32x4(b, SIMD.f32x4Add).get(vb2);
          f32x4(b, SIMD.f32x4Mul);
          b.get(c).v128Load(8).get(c).v128Load(24);
          f32x4(b, SIMD.f32x4Add).get(vb1);
          f32x4(b, SIMD.f32x4Mul);
          f32x4(b, SIMD.f32x4Add);
          b.get(c).v128Load(16).get(vb0);
          f32x4(b, SIMD.f32x4Mul);
          f32x4(b, SIMD.f32x4Add);
          b.v128Store();
        },
      );
      // Next row of V1 (w + 8 wide) and of h2 (w wide).
      b.get(src)
        .get(rowBytes)
        .op(OP.i32Add)
        .i32(8 * M)
        .op(OP.i32Add)
        .set(src);
      b.get(dst).get(rowBytes).op(OP.i32Add).set(dst);
    },
  );
  return b;
}

/** out[y][x] = V1 − k2 down the columns of h2, on the crop rows. */
function atrousColumnsPass(): Body {
  // (v1, h2, out, w, h, b0, b1, b2)
  const b = new Body([I32, I32, I32, I32, I32, F32, F32, F32]);
  const [v1, h2, out, w, h, b0, b1, b2] = [0, 1, 2, 3, 4, 5, 6, 7];
  const y = b.local(I32);
  const x = b.local(I32);
  const q = b.local(I32);
  const v = b.local(I32);
  const dst = b.local(I32);
  const stride = b.local(I32);
  const stride2 = b.local(I32);
  const c = b.local(I32);
  const vb0 = b.local(0x7b);
  const vb1 = b.local(0x7b);
  const vb2 = b.local(0x7b);
  b.get(b0).simd(SIMD.f32x4Splat).set(vb0);
  b.get(b1).simd(SIMD.f32x4Splat).set(vb1);
  b.get(b2).simd(SIMD.f32x4Splat).set(vb2);
  b.get(w).i32(2).op(OP.i32Shl).set(stride);
  b.get(stride).i32(1).op(OP.i32Shl).set(stride2); // two rows of h2
  // h2 row M, V1 row M column M, output row 0.
  b.get(h2).get(stride).i32(M).op(OP.i32Mul).op(OP.i32Add).set(q);
  b.get(v1)
    .get(w)
    .i32(2 * M)
    .op(OP.i32Add)
    .i32(4 * M)
    .op(OP.i32Mul)
    .i32(4 * M)
    .op(OP.i32Add)
    .op(OP.i32Add)
    .set(v);
  b.get(out).set(dst);
  b.forLoop(
    y,
    () => b.i32(0),
    h,
    1,
    () => {
      b.forLoop(
        x,
        () => b.i32(0),
        stride,
        16,
        () => {
          b.get(dst).get(x).op(OP.i32Add);
          b.get(v).get(x).op(OP.i32Add).v128Load();
          b.get(q)
            .get(x)
            .op(OP.i32Add)
            .tee(c)
            .get(stride2)
            .op(OP.i32Sub)
            .get(stride2)
            .op(OP.i32Sub)
            .v128Load();
          b.get(c).get(stride2).op(OP.i32Add).get(stride2).op(OP.i32Add).v128Load();
          f32x4(b, SIMD.f32x4Add).get(vb2);
          f32x4(b, SIMD.f32x4Mul);
          b.get(c).get(stride2).op(OP.i32Sub).v128Load();
          b.get(c).get(stride2).op(OP.i32Add).v128Load();
          f32x4(b, SIMD.f32x4Add).get(vb1);
          f32x4(b, SIMD.f32x4Mul);
          f32x4(b, SIMD.f32x4Add);
          b.get(c).v128Load().get(vb0);
          f32x4(b, SIMD.f32x4Mul);
          f32x4(b, SIMD.f32x4Add);
          f32x4(b, SIMD.f32x4Sub);
          b.v128Store();
        },
      );
      b.get(q).get(stride).op(OP.i32Add).set(q);
      b.get(v)
        .get(stride)
        .op(OP.i32Add)
        .i32(8 * M)
        .op(OP.i32Add)
        .set(v);
      b.get(dst).get(stride).op(OP.i32Add).set(dst);
    },
  );
  return b;
}

/**
 * Σ F1 and Σ F1² (F1 = I − V1 on the crop) into res (two f64): four lanes of float32 partial sums
 * per row, rows added in float64.
 */
function momentsPass(): Body {
  // (img, v1, w, h, res)
  const b = new Body([I32, I32, I32, I32, I32]);
  const [img, v1, w, h, res] = [0, 1, 2, 3, 4];
  const y = b.local(I32);
  const x = b.local(I32);
  const src = b.local(I32);
  const v = b.local(I32);
  const full = b.local(I32);
  const rowBytes = b.local(I32);
  const s1 = b.local(0x7b);
  const s2 = b.local(0x7b);
  const d = b.local(0x7b);
  const t1 = b.local(F32);
  const t2 = b.local(F32);
  const e = b.local(F32);
  const sum = b.local(0x7c);
  const sum2 = b.local(0x7c);
  b.get(w).i32(2).op(OP.i32Shl).set(rowBytes);
  b.get(w).i32(-4).op(OP.i32And).i32(2).op(OP.i32Shl).set(full);
  b.get(img).set(src);
  b.get(v1)
    .get(w)
    .i32(2 * M)
    .op(OP.i32Add)
    .i32(4 * M)
    .op(OP.i32Mul)
    .i32(4 * M)
    .op(OP.i32Add)
    .op(OP.i32Add)
    .set(v);
  b.forLoop(
    y,
    () => b.i32(0),
    h,
    1,
    () => {
      // s1 = s2 = 0 (splat of 0.0f)
      b.op(0x43, 0, 0, 0, 0).simd(SIMD.f32x4Splat).tee(s1).set(s2);
      b.forLoop(
        x,
        () => b.i32(0),
        full,
        16,
        () => {
          b.get(src).get(x).op(OP.i32Add).v128Load();
          b.get(v).get(x).op(OP.i32Add).v128Load();
          f32x4(b, SIMD.f32x4Sub).tee(d).get(s1);
          f32x4(b, SIMD.f32x4Add).set(s1);
          b.get(d).get(d);
          f32x4(b, SIMD.f32x4Mul).get(s2);
          f32x4(b, SIMD.f32x4Add).set(s2);
        },
      );
      // Lanes of this row, then the tail pixels one by one.
      b.op(0x43, 0, 0, 0, 0).set(t1);
      b.op(0x43, 0, 0, 0, 0).set(t2);
      for (let lane = 0; lane < 4; lane++) {
        b.get(t1).get(s1).simd(SIMD.f32x4ExtractLane, lane).op(OP.f32Add).set(t1);
        b.get(t2).get(s2).simd(SIMD.f32x4ExtractLane, lane).op(OP.f32Add).set(t2);
      }
      b.forLoop(
        x,
        () => b.get(full),
        rowBytes,
        4,
        () => {
          b.get(src).get(x).op(OP.i32Add).f32Load();
          b.get(v).get(x).op(OP.i32Add).f32Load();
          b.op(OP.f32Sub).tee(e).get(t1).op(OP.f32Add).set(t1);
          b.get(e).get(e).op(OP.f32Mul).get(t2).op(OP.f32Add).set(t2);
        },
      );
      b.get(sum).get(t1).op(OP.f64PromoteF32).op(OP.f64Add).set(sum);
      b.get(sum2).get(t2).op(OP.f64PromoteF32).op(OP.f64Add).set(sum2);
      b.get(src).get(rowBytes).op(OP.i32Add).set(src);
      b.get(v)
        .get(rowBytes)
        .op(OP.i32Add)
        .i32(8 * M)
        .op(OP.i32Add)
        .set(v);
    },
  );
  b.get(res).get(sum).f64Store(0);
  b.get(res).get(sum2).f64Store(8);
  return b;
}

// The slice of the WebAssembly JS API used here: src/core is type-checked without the DOM
// library, which is where TypeScript declares it.
type WasmModule = object;
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmJsApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasmApi = (globalThis as { WebAssembly?: WasmJsApi }).WebAssembly;

/**
 * Start indices (pixels) of the 4-pixel groups of `img` (n pixels) with any value > threshold,
 * into `list`; their count into `res` (i32). The local-maximum test then runs on these only.
 */
function abovePass(): Body {
  // (img, n, threshold, list, res)
  const b = new Body([I32, I32, F32, I32, I32]);
  const [img, n, threshold, list, res] = [0, 1, 2, 3, 4];
  const i = b.local(I32);
  const count = b.local(I32);
  const t = b.local(0x7b);
  b.get(threshold).simd(SIMD.f32x4Splat).set(t);
  b.forLoop(
    i,
    () => b.i32(0),
    n,
    4,
    () => {
      b.get(img).get(i).i32(2).op(OP.i32Shl).op(OP.i32Add).v128Load().get(t);
      b.simd(SIMD.f32x4Gt).simd(SIMD.v128AnyTrue);
      b.op(0x04, 0x40); // if
      b.get(list).get(count).i32(2).op(OP.i32Shl).op(OP.i32Add).get(i).op(0x36, 2, 0); // i32.store
      b.get(count).i32(1).op(OP.i32Add).set(count);
      b.op(0x0b); // end
    },
  );
  b.get(res).get(count).op(0x36, 2, 0);
  return b;
}

let compiled: WasmModule | null | undefined;

/** The compiled kernels, or null where WebAssembly SIMD is unavailable (then JavaScript runs). */
export function waveletWasmModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (!wasmApi) return null;
    const bytes = assembleModule([
      { name: 'rows', body: rowsPass() },
      { name: 'columns', body: columnsPass() },
      { name: 'atrousRows', body: atrousRowsPass() },
      { name: 'atrousColumns', body: atrousColumnsPass() },
      { name: 'moments', body: momentsPass() },
      { name: 'above', body: abovePass() },
    ]);
    if (wasmApi.validate(bytes)) compiled = new wasmApi.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

interface Exports {
  rows(img: number, w: number, h: number, prow: number, h1: number, a0: number, a1: number, a2: number): void;
  columns(rowtab: number, v1: number, pw: number, ph: number, a0: number, a1: number, a2: number): void;
  atrousRows(v1: number, h2: number, w: number, ph: number, b0: number, b1: number, b2: number): void;
  atrousColumns(
    v1: number,
    h2: number,
    out: number,
    w: number,
    h: number,
    b0: number,
    b1: number,
    b2: number,
  ): void;
  moments(img: number, v1: number, w: number, h: number, res: number): void;
  above(img: number, n: number, threshold: number, list: number, res: number): void;
}

/** One frame size's buffers and an instance of the kernels. */
export class WaveletWasm {
  /** The input image (photons); `apply` reads it here, so writing it in place saves a copy. */
  readonly input: Float32Array;
  readonly filtered: Float32Array;
  private readonly exports: Exports;
  private readonly moments: Float64Array;
  /** Group starts written by `above`, and their count. */
  private readonly groups: Int32Array;
  private readonly groupCount: Int32Array;
  private readonly addr: {
    img: number;
    prow: number;
    rowtab: number;
    h1: number;
    v1: number;
    h2: number;
    out: number;
    res: number;
    groups: number;
    count: number;
  };

  constructor(
    module: WasmModule,
    readonly width: number,
    readonly height: number,
    private readonly k1: readonly [number, number, number],
    private readonly k2: readonly [number, number, number],
  ) {
    const w = width;
    const h = height;
    const pw = w + 2 * M;
    const ph = h + 2 * M;
    let top = 0;
    const take = (bytes: number) => {
      const a = top;
      // 64 bytes of slack after every buffer for vectors that run past a row's end.
      top += Math.ceil((bytes + 64) / 16) * 16;
      return a;
    };
    const img = take(4 * w * h);
    const prow = take(4 * (pw + 8));
    const zero = take(4 * (pw + 8));
    const rowtab = take(4 * (ph + 4));
    const h1 = take(4 * h * pw);
    const v1 = take(4 * ph * pw);
    const h2 = take(4 * ph * w);
    const out = take(4 * w * h);
    const res = take(16);
    const groups = take(4 * Math.ceil((w * h) / 4));
    const count = take(4);
    // Only constructed after waveletWasmModule() found the API.
    const api = wasmApi!;
    const memory = new api.Memory({ initial: Math.ceil(top / 65536) + 1 });
    const instance = new api.Instance(module, { env: { memory } });
    this.exports = instance.exports as unknown as Exports;
    const buf = memory.buffer;
    this.addr = { img, prow, rowtab, h1, v1, h2, out, res, groups, count };
    this.groups = new Int32Array(buf, groups, Math.ceil((w * h) / 4));
    this.groupCount = new Int32Array(buf, count, 1);
    this.input = new Float32Array(buf, img, w * h);
    this.filtered = new Float32Array(buf, out, w * h);
    this.moments = new Float64Array(buf, res, 2);
    const tab = new Int32Array(buf, rowtab, ph + 4);
    for (let Y = -2; Y < ph + 2; Y++) {
      const sy = Y - M < 0 ? 0 : Y - M >= h ? h - 1 : Y - M;
      tab[Y + 2] = Y < 0 || Y >= ph ? zero : h1 + 4 * sy * pw;
    }
    // Memory starts zeroed: the zero row and prow's outer cells stay zero for good.
  }

  /** Filters `image` (copied in unless it is `input`); returns Σ F1 and Σ F1² via the moments. */
  apply(image: Float32Array): number {
    if (image !== this.input) this.input.set(image);
    const { width: w, height: h, exports: x, addr: a, k1, k2 } = this;
    x.rows(a.img, w, h, a.prow, a.h1, k1[0], k1[1], k1[2]);
    x.columns(a.rowtab, a.v1, w + 2 * M, h + 2 * M, k1[0], k1[1], k1[2]);
    x.atrousRows(a.v1, a.h2, w, h + 2 * M, k2[0], k2[1], k2[2]);
    x.atrousColumns(a.v1, a.h2, a.out, w, h, k2[0], k2[1], k2[2]);
    x.moments(a.img, a.v1, w, h, a.res);
    const n = w * h;
    const mean = this.moments[0] / n;
    return Math.sqrt(Math.max(0, (this.moments[1] - n * mean * mean) / Math.max(1, n - 1)));
  }

  /**
   * Pixels of `filtered` that can be local maxima above `threshold`: their 4-pixel groups'
   * starts in `groups()[0 … count)` (a group may run past the image's last pixel).
   */
  groupsAbove(threshold: number): number {
    const a = this.addr;
    this.exports.above(a.out, this.width * this.height, threshold, a.groups, a.count);
    return this.groupCount[0];
  }

  groupStarts(): Int32Array {
    return this.groups;
  }
}
