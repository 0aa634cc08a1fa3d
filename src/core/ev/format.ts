// Text for the EV-marker tables and the CLI: fractions with their CIs, p-values the way papers print them,
// counts with uncertainties. Pure, so the tables and the CLI read the same.

/** "43.0 % (33.2–52.9)"; "–" when there is no fraction (no classified EV). */
export function formatFractionCi(f: number, lo: number, hi: number): string {
  if (!Number.isFinite(f)) return '–';
  const pct = (v: number) => (100 * v).toFixed(1);
  const ci = Number.isFinite(lo) && Number.isFinite(hi) ? ` (${pct(lo)}–${pct(hi)})` : '';
  return `${pct(f)} %${ci}`;
}

/** "52.5 %"; "–" when missing. */
export function formatPercent(f: number): string {
  return Number.isFinite(f) ? `${(100 * f).toFixed(1)} %` : '–';
}

/** "37.5–67.5" (percent), for a CI under its fraction; "" when missing. */
export function formatCiRange(lo: number, hi: number): string {
  return Number.isFinite(lo) && Number.isFinite(hi)
    ? `${(100 * lo).toFixed(1)}–${(100 * hi).toFixed(1)}`
    : '';
}

/** p-values: 3 significant digits, "< 0.001" below a thousandth, "1" when capped. */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '–';
  if (p < 0.001) return '< 0.001';
  if (p >= 1) return '1';
  return p.toPrecision(2);
}

/** Stars the way the lab's figures mark significance of the corrected p. */
export function significanceStars(pAdjusted: number): string {
  if (!(pAdjusted < 0.05)) return 'n.s.';
  if (pAdjusted < 0.001) return '***';
  if (pAdjusted < 0.01) return '**';
  return '*';
}

/** "4 ± 0.3", "2.6 ± 0.4", "4" when the uncertainty rounds to 0; "–" for a missing count. */
export function formatCount(v: number, sd: number): string {
  if (!Number.isFinite(v)) return '–';
  const val = Number.isInteger(v) ? String(v) : v.toFixed(1);
  return Number.isFinite(sd) && sd >= 0.05 ? `${val} ± ${sd.toFixed(1)}` : val;
}

/** Lets a long subtype name ("CD9+CD63+CD81+") wrap between markers, not inside one. */
export function breakableSubtype(name: string): string {
  return name.replace(/\+(?=.)/g, '+\u200b');
}

/** "12 s", "3 min 05 s"; "" when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${String(Math.round(seconds - 60 * m)).padStart(2, '0')} s`;
}

export const PHASE_NAMES = {
  detect: 'finding EVs',
  traces: 'reading traces',
  steps: 'fitting steps',
} as const;

/** The unit each phase counts, for the rate. */
export const PHASE_UNITS = { detect: 'channels', traces: 'frame reads', steps: 'traces' } as const;
