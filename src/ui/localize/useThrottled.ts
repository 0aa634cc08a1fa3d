import { useEffect, useRef, useState } from 'react';

/**
 * How often the live table redraws while a run streams: main-thread CPU, which the page takes
 * from the run's two workers on a 2-core machine; once a second still shows the results growing.
 * (The live histograms are canvases, cheap enough for four times a second: LocalizeResults.tsx.)
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
