// The default à trous wavelet filter (five symmetric taps, levels 1 and 2, margin 4) in
// WebAssembly SIMD, four pixels per instruction. The kernels are WebAssembly text in wavelet.wat
// (the source to review, with why they exist and how they lay out memory); waveletKernel.ts holds
// its assembled bytes (bin/build-wasm.mjs). This file instantiates them per frame size, lays out
// the buffers, and calls the passes in order.
import { WAVELET_WASM } from './waveletKernel';

const M = 4; // margin = radius of the level-2 kernel

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

let compiled: WasmModule | null | undefined;

/** The compiled kernels, or null where WebAssembly SIMD is unavailable (then JavaScript runs). */
export function waveletWasmModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (!wasmApi) return null;
    if (wasmApi.validate(WAVELET_WASM)) compiled = new wasmApi.Module(WAVELET_WASM);
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
