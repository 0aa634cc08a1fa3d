// Geometry of the displayed image when channels sit side by side: which channel, and which
// pixel of it, lies under a point of the combined image.

/** Pixels between channels shown side by side. */
export const SIDE_GAP = 4;

export interface Tile {
  channel: number;
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/** Tiles under image point (x, y): one when side by side, all of them when overlaid. */
export function tilesAt<T extends Tile>(
  tiles: readonly T[],
  x: number,
  y: number,
): { tile: T; px: number; py: number }[] {
  const out: { tile: T; px: number; py: number }[] = [];
  for (const tile of tiles) {
    const px = Math.floor(x - tile.x0);
    const py = Math.floor(y - tile.y0);
    if (px >= 0 && py >= 0 && px < tile.width && py < tile.height) out.push({ tile, px, py });
  }
  return out;
}
