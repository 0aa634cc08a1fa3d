// Picks a scale bar length that reads well: 1, 2 or 5 × 10^k nm, close to a target screen width.

export interface ScaleBar {
  nm: number;
  screenPx: number;
  label: string;
}

export function niceScaleBar(pixelSizeNm: number, zoom: number, targetScreenPx = 120): ScaleBar | null {
  if (!(pixelSizeNm > 0) || !(zoom > 0)) return null;
  const nmPerScreenPx = pixelSizeNm / zoom;
  const targetNm = targetScreenPx * nmPerScreenPx;
  const pow = 10 ** Math.floor(Math.log10(targetNm));
  let nm = pow;
  for (const m of [1, 2, 5, 10]) {
    if (m * pow <= targetNm) nm = m * pow;
  }
  const label = nm >= 1000 ? `${nm / 1000} µm` : `${nm} nm`;
  return { nm, screenPx: nm / nmPerScreenPx, label };
}
