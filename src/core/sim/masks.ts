// Ground-truth masks of membrane structures at any frame and render pixel size, to check
// binarisation and signed-distance analyses against what was really there.
import type { StructureTruth } from './truth';

export interface MaskGrid {
  width: number;
  height: number;
  /** Render pixel size, nm (e.g. 10 nm for a super-resolution movie). */
  pixelSizeNm: number;
  /** Where the grid's top-left corner sits in sample coordinates, nm (default 0, 0). */
  originXNm?: number;
  originYNm?: number;
  /** Shift added to structure centres, nm — pass the frame's stage drift to get camera-space masks. */
  shiftXNm?: number;
  shiftYNm?: number;
}

/**
 * Label map of the structures present at `frame`: structure id + 1 where a pixel's centre lies
 * inside a structure, 0 elsewhere (where structures overlap, the later id wins).
 */
export function rasterizeStructureMask(
  s: StructureTruth,
  frame: number,
  grid: MaskGrid,
  out?: Int32Array,
): Int32Array {
  const { width, height, pixelSizeNm: px } = grid;
  const labels = out ?? new Int32Array(width * height);
  labels.fill(0);
  const ox = grid.originXNm ?? 0;
  const oy = grid.originYNm ?? 0;
  const sx = grid.shiftXNm ?? 0;
  const sy = grid.shiftYNm ?? 0;
  for (let i = 0; i < s.length; i++) {
    if (frame < s.startFrame[i] || frame >= s.endFrame[i]) continue;
    const cx = s.x[i] + sx - ox;
    const cy = s.y[i] + sy - oy;
    const rx = s.rx[i];
    const ry = s.ry[i];
    const ca = Math.cos(s.angle[i]);
    const sa = Math.sin(s.angle[i]);
    const r = Math.max(rx, ry);
    const i0 = Math.max(0, Math.floor((cx - r) / px));
    const i1 = Math.min(width - 1, Math.floor((cx + r) / px));
    const j0 = Math.max(0, Math.floor((cy - r) / px));
    const j1 = Math.min(height - 1, Math.floor((cy + r) / px));
    for (let j = j0; j <= j1; j++) {
      const dy = (j + 0.5) * px - cy;
      for (let k = i0; k <= i1; k++) {
        const dx = (k + 0.5) * px - cx;
        const u = (dx * ca + dy * sa) / rx;
        const v = (-dx * sa + dy * ca) / ry;
        if (u * u + v * v < 1) labels[j * width + k] = s.id[i] + 1;
      }
    }
  }
  return labels;
}

/** Indices of the structures present at a frame. */
export function structuresAt(s: StructureTruth, frame: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) if (frame >= s.startFrame[i] && frame < s.endFrame[i]) out.push(i);
  return out;
}
