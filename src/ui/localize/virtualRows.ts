// Which rows of a virtualised list to draw, and where. Browsers cap an element's height (Chromium
// near 33.5 M px, Firefox near 17.9 M px), so a spacer of rows × 20 px stops scrolling at row
// ~1.68 M. Above MAX_SPACER_PX the spacer is capped and the scroll position maps linearly onto
// the full virtual height: one wheel notch then moves more than one row, but the first and the
// last of 10 M rows are both reachable, as in any spreadsheet.
export const MAX_SPACER_PX = 8_000_000;

export interface RowWindow {
  /** Height of the scroll spacer, px. */
  spacerPx: number;
  /** First and one-past-last row to draw. */
  first: number;
  last: number;
  /** Top of row i inside the spacer, px. */
  top(i: number): number;
}

export function rowWindow(
  scrollTop: number,
  viewportPx: number,
  count: number,
  rowPx: number,
  overscan: number,
  maxSpacerPx = MAX_SPACER_PX,
): RowWindow {
  const totalPx = count * rowPx;
  const spacerPx = Math.min(totalPx, maxSpacerPx);
  // Virtual offset of the viewport's top edge in the uncapped list.
  const scrollable = spacerPx - viewportPx;
  const offset =
    totalPx <= maxSpacerPx || scrollable <= 0
      ? scrollTop
      : (Math.min(scrollTop, scrollable) / scrollable) * (totalPx - viewportPx);
  const first = Math.max(0, Math.floor(offset / rowPx) - overscan);
  const last = Math.min(count, Math.ceil((offset + viewportPx) / rowPx) + overscan);
  return { spacerPx, first, last, top: (i) => scrollTop + i * rowPx - offset };
}
