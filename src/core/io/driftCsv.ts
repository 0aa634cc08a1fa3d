// Drift trace ⇄ CSV: one row per frame (1-based, like exported localizations), drift in nm.
// corrected = observed − drift, so adding the columns back to corrected positions undoes it.
export function writeDriftCsv(d: { dx: ArrayLike<number>; dy: ArrayLike<number> }): string {
  const lines = ['"frame","dx [nm]","dy [nm]"'];
  for (let f = 0; f < d.dx.length; f++) lines.push(`${f + 1},${d.dx[f].toFixed(3)},${d.dy[f].toFixed(3)}`);
  return `${lines.join('\n')}\n`;
}
