// A minimal WebAssembly binary writer: enough to spell out a few SIMD kernels as readable
// instruction lists in TypeScript and assemble them at start-up, with no toolchain and no opaque
// base64 blob in the repository. Opcodes follow the WebAssembly core spec (2.0, with the fixed-
// width SIMD proposal); every function imports the one memory "env"."memory".

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

function uleb(n: number, out: number[]): void {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
}

function sleb(n: number, out: number[]): void {
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** One function body under construction; methods append instructions and return `this`. */
export class Body {
  readonly code: number[] = [];
  readonly locals: ValType[] = [];

  constructor(readonly params: ValType[]) {}

  /** A new local of `type`; returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  get(i: number) {
    this.code.push(0x20);
    uleb(i, this.code);
    return this;
  }
  set(i: number) {
    this.code.push(0x21);
    uleb(i, this.code);
    return this;
  }
  tee(i: number) {
    this.code.push(0x22);
    uleb(i, this.code);
    return this;
  }
  i32(v: number) {
    this.code.push(0x41);
    sleb(v | 0, this.code);
    return this;
  }
  op(...bytes: number[]) {
    this.code.push(...bytes);
    return this;
  }
  /** A SIMD (0xfd-prefixed) instruction, with its immediates. */
  simd(opcode: number, ...immediates: number[]) {
    this.code.push(0xfd);
    uleb(opcode, this.code);
    this.code.push(...immediates);
    return this;
  }
  private memarg(align: number, offset: number) {
    uleb(align, this.code);
    uleb(offset, this.code);
  }
  f32Load(offset = 0) {
    this.code.push(0x2a);
    this.memarg(2, offset);
    return this;
  }
  f32Store(offset = 0) {
    this.code.push(0x38);
    this.memarg(2, offset);
    return this;
  }
  i32Load(offset = 0) {
    this.code.push(0x28);
    this.memarg(2, offset);
    return this;
  }
  f64Store(offset = 0) {
    this.code.push(0x39);
    this.memarg(3, offset);
    return this;
  }
  v128Load(offset = 0) {
    this.simd(0x00);
    this.memarg(0, offset);
    return this;
  }
  v128Store(offset = 0) {
    this.simd(0x0b);
    this.memarg(0, offset);
    return this;
  }
  /**
   * `for (i = start; i < end; i += step) body()` over i32 locals; `end` is re-read each turn
   * from the local, `start` is emitted by the caller's callback.
   */
  forLoop(i: number, start: () => void, end: number, step: number, body: () => void) {
    start();
    this.set(i);
    this.op(0x02, 0x40, 0x03, 0x40); // block, loop
    this.get(i).get(end).op(0x4e, 0x0d, 0x01); // i32.ge_s, br_if 1 (leave the block)
    body();
    this.get(i).i32(step).op(0x6a).set(i); // i += step
    this.op(0x0c, 0x00, 0x0b, 0x0b); // br 0, end loop, end block
    return this;
  }
}

export const OP = {
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  f32Add: 0x92,
  f32Sub: 0x93,
  f32Mul: 0x94,
  f64Add: 0xa0,
  f64PromoteF32: 0xbb,
  memoryCopy: [0xfc, 0x0a, 0x00, 0x00],
} as const;

export const SIMD = {
  f32x4Splat: 0x13,
  f32x4Gt: 0x44,
  v128AnyTrue: 0x53,
  f32x4ExtractLane: 0x1f,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
} as const;

export interface FunctionDef {
  name: string;
  body: Body;
}

/** The module's bytes: one imported memory, the given functions exported by name, no results. */
export function assembleModule(functions: FunctionDef[]): Uint8Array<ArrayBuffer> {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const section = (id: number, content: number[]) => {
    out.push(id);
    uleb(content.length, out);
    out.push(...content);
  };
  const vec = (items: number[][]) => {
    const c: number[] = [];
    uleb(items.length, c);
    for (const it of items) c.push(...it);
    return c;
  };
  const name = (s: string) => {
    const c: number[] = [];
    uleb(s.length, c);
    for (let i = 0; i < s.length; i++) c.push(s.charCodeAt(i));
    return c;
  };
  section(
    1,
    vec(
      functions.map((f) => {
        const t = [0x60];
        uleb(f.body.params.length, t);
        t.push(...f.body.params, 0x00);
        return t;
      }),
    ),
  );
  section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]]));
  section(
    3,
    vec(
      functions.map((_, i) => {
        const c: number[] = [];
        uleb(i, c);
        return c;
      }),
    ),
  );
  section(
    7,
    vec(
      functions.map((f, i) => {
        const c = [...name(f.name), 0x00];
        uleb(i, c);
        return c;
      }),
    ),
  );
  section(
    10,
    vec(
      functions.map((f) => {
        const body: number[] = [];
        uleb(f.body.locals.length, body);
        for (const t of f.body.locals) body.push(0x01, t);
        body.push(...f.body.code, 0x0b);
        const c: number[] = [];
        uleb(body.length, c);
        return [...c, ...body];
      }),
    ),
  );
  return Uint8Array.from(out);
}
