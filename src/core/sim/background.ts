// A smooth, seeded spatial pattern for uneven illumination/autofluorescence: a few plane waves
// with random directions and phases, normalised to [−1, 1] over the field.
import { Rng } from '../random';

export function backgroundPattern(
  width: number,
  height: number,
  pixelSizeNm: number,
  scaleNm: number,
  seed: number,
): Float64Array {
  const rng = new Rng(seed, 0);
  const waves = 4;
  const kx = new Float64Array(waves);
  const ky = new Float64Array(waves);
  const ph = new Float64Array(waves);
  for (let w = 0; w < waves; w++) {
    const dir = 2 * Math.PI * rng.uniform();
    const k = (2 * Math.PI) / (scaleNm * (1 + rng.uniform()));
    kx[w] = k * Math.cos(dir);
    ky[w] = k * Math.sin(dir);
    ph[w] = 2 * Math.PI * rng.uniform();
  }
  const out = new Float64Array(width * height);
  let maxAbs = 0;
  for (let j = 0; j < height; j++) {
    const y = (j + 0.5) * pixelSizeNm;
    for (let i = 0; i < width; i++) {
      const x = (i + 0.5) * pixelSizeNm;
      let v = 0;
      for (let w = 0; w < waves; w++) v += Math.cos(kx[w] * x + ky[w] * y + ph[w]);
      out[j * width + i] = v;
      if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
    }
  }
  if (maxAbs > 0) for (let i = 0; i < out.length; i++) out[i] /= maxAbs;
  return out;
}
