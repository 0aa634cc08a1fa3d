import { useEffect, useRef, useState } from 'react';

/**
 * How often the live table and histograms redraw while a run streams. Each plotly redraw of the
 * four histograms costs tens of ms of main-thread CPU, which the page takes from the run's two
 * workers on a 2-core machine; once a second still shows the results growing.
 */
export const LIVE_REDRAW_MS = 1000;

/**
 * `value`, updated at most every `ms` (the latest value always arrives): streaming runs change
 * the store per chunk, views redraw a few times per second.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - performance.now();
    if (wait <= 0) {
      last.current = performance.now();
      setShown(value);
      return;
    }
    const t = setTimeout(() => {
      last.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}
