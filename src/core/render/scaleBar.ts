// Scale bar: the largest 1-2-5 × 10^k nm length that fits in a fraction of the view.

export interface ScaleBar {
  lengthNm: number;
  /** Bar width in render pixels (fractional: the caller rounds to its canvas). */
  widthPx: number;
  /** "200 nm", "1 µm", "50 µm". */
  label: string;
}

/** `maxFraction` of the view width is the longest the bar may be (default 0.25). */
export function scaleBar(pixelNm: number, viewWidthPx: number, maxFraction = 0.25): ScaleBar {
  if (!(pixelNm > 0) || !(viewWidthPx > 0))
    throw new Error('scale bar needs a positive pixel size and width');
  const maxNm = pixelNm * viewWidthPx * maxFraction;
  const k = Math.floor(Math.log10(maxNm));
  let lengthNm = 0;
  // Decades k−1…k+1 absorb log10 rounding at exact powers of ten.
  for (let d = k - 1; d <= k + 1; d++) {
    for (const m of [1, 2, 5]) {
      const l = Number((m * 10 ** d).toPrecision(12));
      if (l <= maxNm * (1 + 1e-9) && l > lengthNm) lengthNm = l;
    }
  }
  return { lengthNm, widthPx: lengthNm / pixelNm, label: formatLength(lengthNm) };
}

export function formatLength(nm: number): string {
  if (nm >= 1e6) return `${Number((nm / 1e6).toPrecision(6))} mm`;
  if (nm >= 1000) return `${Number((nm / 1000).toPrecision(6))} µm`;
  if (nm >= 1) return `${Number(nm.toPrecision(6))} nm`;
  return `${Number((nm * 1000).toPrecision(6))} pm`;
}
