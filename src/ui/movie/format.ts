// Labels shared by the player, the burned-in video time stamp and the tables.
import type { MovieFrameTimes } from '../../core/movie/window';

export function formatSeconds(s: number): string {
  return s.toFixed(2);
}

export function movieTimeLabel(t: MovieFrameTimes): string {
  return `t = ${formatSeconds(t.startS)}–${formatSeconds(t.endS)} s · centre ${formatSeconds(t.centreS)} s`;
}

/** Seconds → "12.3 s" / "2 min 05 s" for rates and ETAs. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - 60 * m)).padStart(2, '0')} s`;
}
