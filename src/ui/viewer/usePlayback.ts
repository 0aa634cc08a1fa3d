// Plays frames at the chosen rate against the clock: when decoding cannot keep up, frames are
// skipped rather than the movie slowing down.
import { useEffect } from 'react';
import { useViewer, viewerStore } from '../../state/viewerStore';

export function usePlayback() {
  const playing = useViewer((s) => s.playing);
  const fps = useViewer((s) => s.fps);
  useEffect(() => {
    if (!playing) return;
    const start = performance.now();
    const startFrame = viewerStore.getState().frame;
    let raf = 0;
    const tick = (now: number) => {
      const s = viewerStore.getState();
      if (s.frameCount > 0) {
        const f = (startFrame + Math.floor(((now - start) * fps) / 1000)) % s.frameCount;
        if (f !== s.frame) s.setFrame(f);
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing, fps]);
}
