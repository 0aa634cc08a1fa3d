// Two-channel overlay in green and magenta: colour-blind safe, and overlap reads as white.
import type { Contrast } from './colormap';

/** Channel A → green, channel B → magenta (red + blue); each under its own linear contrast. */
export function overlayGreenMagenta(
  a: ArrayLike<number>,
  contrastA: Contrast,
  b: ArrayLike<number>,
  contrastB: Contrast,
  out?: Uint8ClampedArray,
): Uint8ClampedArray {
  if (a.length !== b.length) throw new Error(`channel sizes differ: ${a.length} vs ${b.length}`);
  const rgba = out ?? new Uint8ClampedArray(a.length * 4);
  const ia = contrastA.max > contrastA.min ? 255 / (contrastA.max - contrastA.min) : 0;
  const ib = contrastB.max > contrastB.min ? 255 / (contrastB.max - contrastB.min) : 0;
  const ga = contrastA.gamma ?? 1;
  const gb = contrastB.gamma ?? 1;
  for (let i = 0, o = 0; i < a.length; i++, o += 4) {
    let g = (a[i] - contrastA.min) * ia;
    let m = (b[i] - contrastB.min) * ib;
    if (ga !== 1 && g > 0) g = 255 * (Math.min(g, 255) / 255) ** ga;
    if (gb !== 1 && m > 0) m = 255 * (Math.min(m, 255) / 255) ** gb;
    // Uint8ClampedArray clamps to 0–255 and maps NaN to 0.
    rgba[o] = m;
    rgba[o + 1] = g;
    rgba[o + 2] = m;
    rgba[o + 3] = 255;
  }
  return rgba;
}
