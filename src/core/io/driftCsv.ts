// Drift trace ⇄ CSV: one row per frame (1-based, like exported localizations), drift in nm.
// corrected = observed − drift, so adding the columns back to corrected positions undoes it.
import { csvText } from './resultCsv';

export function writeDriftCsv(d: { dx: ArrayLike<number>; dy: ArrayLike<number> }): string {
  return csvText(['frame', 'dx [nm]', 'dy [nm]'], d.dx.length, (f, c) =>
    c === 0 ? String(f + 1) : (c === 1 ? d.dx : d.dy)[f].toFixed(3),
  );
}
