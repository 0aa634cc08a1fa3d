// Burns a scale bar and its label into an RGBA image, so an exported PNG keeps its scale when
// it leaves the workbench. A 5×7 bitmap font covers the labels scaleBar() produces
// ("200 nm", "1.5 µm"), so the same pixels come out of the browser worker and the CLI.
import { type ScaleBar, scaleBar } from './scaleBar';

// Each glyph: 7 rows of 5 bits, most significant bit on the left.
const GLYPHS: Record<string, number[]> = {
  '0': [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
  '1': [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  '2': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  '3': [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  '4': [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
  '5': [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  '6': [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
  '7': [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  '8': [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  '9': [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  '.': [0, 0, 0, 0, 0, 0x0c, 0x0c],
  ' ': [0, 0, 0, 0, 0, 0, 0],
  n: [0, 0, 0x16, 0x19, 0x11, 0x11, 0x11],
  m: [0, 0, 0x1a, 0x15, 0x15, 0x11, 0x11],
  µ: [0, 0, 0x11, 0x11, 0x11, 0x13, 0x1d],
  p: [0, 0, 0x1e, 0x11, 0x1e, 0x10, 0x10],
};

export interface BurnOptions {
  /** Longest bar as a fraction of the image width (default 0.2). */
  maxFraction?: number;
  /** Glyph scale (default: grows with the image, 1 below 300 px wide). */
  scale?: number;
}

/** Draws the bar (white on a dark backing box) in the bottom-right corner; returns what it drew. */
export function burnScaleBar(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  pixelNm: number,
  opts: BurnOptions = {},
): ScaleBar | null {
  const bar = scaleBar(pixelNm, width, opts.maxFraction ?? 0.2);
  const s = opts.scale ?? Math.max(1, Math.round(width / 400));
  const barW = Math.max(1, Math.round(bar.widthPx));
  const barH = 3 * s;
  const textW = bar.label.length * 6 * s - s;
  const textH = 7 * s;
  const pad = 4 * s;
  const boxW = Math.max(barW, textW) + 2 * pad;
  const boxH = textH + barH + 3 * pad;
  if (boxW + pad > width || boxH + pad > height) return null; // too small to carry a legible bar
  const bx = width - boxW - pad;
  const by = height - boxH - pad;
  const fill = (x0: number, y0: number, w: number, h: number, v: number, alpha: number) => {
    for (let y = y0; y < y0 + h; y++)
      for (let x = x0; x < x0 + w; x++) {
        const o = 4 * (y * width + x);
        for (let c = 0; c < 3; c++) rgba[o + c] = rgba[o + c] * (1 - alpha) + v * alpha;
        rgba[o + 3] = 255;
      }
  };
  fill(bx, by, boxW, boxH, 0, 0.6);
  const cx = bx + boxW / 2;
  fill(Math.round(cx - barW / 2), by + boxH - pad - barH, barW, barH, 255, 1);
  let tx = Math.round(cx - textW / 2);
  const ty = by + pad;
  for (const ch of bar.label) {
    const g = GLYPHS[ch] ?? GLYPHS[' '];
    for (let r = 0; r < 7; r++)
      for (let c = 0; c < 5; c++) if (g[r] & (0x10 >> c)) fill(tx + c * s, ty + r * s, s, s, 255, 1);
    tx += 6 * s;
  }
  return bar;
}
