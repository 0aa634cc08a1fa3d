// The render grid of a movie: a region of interest in nm, cut into square pixels. Pixel (i, j)
// covers x ∈ [x0 + i·p, x0 + (i+1)·p), y ∈ [y0 + j·p, y0 + (j+1)·p) (ThunderSTORM's convention:
// positions are measured from the top-left corner), stored row-major at j·width + i.

export interface RenderGrid {
  x0Nm: number;
  y0Nm: number;
  width: number;
  height: number;
  pixelNm: number;
}

export function checkRenderGrid(g: RenderGrid): void {
  if (!Number.isInteger(g.width) || !Number.isInteger(g.height) || g.width < 1 || g.height < 1)
    throw new RangeError(`grid size must be positive integers, got ${g.width}×${g.height}`);
  if (!(g.pixelNm > 0)) throw new RangeError(`pixelNm must be > 0, got ${g.pixelNm}`);
  if (!Number.isFinite(g.x0Nm) || !Number.isFinite(g.y0Nm))
    throw new RangeError('grid origin must be finite');
}

/** A grid covering a camera-pixel region at a finer render pixel (e.g. 100 nm camera px → 10 nm). */
export function gridForCameraRegion(
  region: { x: number; y: number; width: number; height: number },
  cameraPixelNm: number,
  renderPixelNm: number,
): RenderGrid {
  return {
    x0Nm: region.x * cameraPixelNm,
    y0Nm: region.y * cameraPixelNm,
    width: Math.round((region.width * cameraPixelNm) / renderPixelNm),
    height: Math.round((region.height * cameraPixelNm) / renderPixelNm),
    pixelNm: renderPixelNm,
  };
}
