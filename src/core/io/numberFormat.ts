// Number → text that parses back to the identical value: JavaScript's String() already gives the
// shortest round-tripping form of a float64; float32 columns get the shortest form that rounds
// back to the same float32, which keeps files small without losing a bit.

const f32 = new Float32Array(1);

export function formatFloat32(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  f32[0] = v;
  const target = f32[0];
  for (let p = 6; p < 9; p++) {
    const s = String(Number(target.toPrecision(p)));
    f32[0] = Number(s);
    if (f32[0] === target) return s;
  }
  return String(Number(target.toPrecision(9)));
}

export function formatFloat64(v: number): string {
  return String(v);
}
