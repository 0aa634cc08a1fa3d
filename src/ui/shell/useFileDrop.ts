// Files dropped anywhere on the window open as one stack (session files open as sessions, and
// raw files a session misses re-attach: see session/dropRoute.ts).
import { useEffect, useState } from 'react';
import { routeDrop } from '../session/dropRoute';

function hasFiles(e: DragEvent): boolean {
  return [...(e.dataTransfer?.types ?? [])].includes('Files');
}

/** Over a panel that takes dropped files itself (`data-drop-zone`, e.g. the experiment's inputs). */
function overZone(e: DragEvent): boolean {
  return e.target instanceof Element && e.target.closest('[data-drop-zone]') !== null;
}

export function useFileDrop(onFiles: (files: File[]) => void): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    // dragenter/dragleave fire for every child crossed: count them to know when we really left.
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      // The zone shows its own outline: "open as one stack" over it would say the wrong thing.
      setOver(!overZone(e));
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overFn = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // Without this the browser navigates to the dropped file.
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    // Capture: a zone stops the drop's propagation, and the overlay must still go away.
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = 0;
      setOver(false);
      if (overZone(e)) return;
      e.preventDefault();
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length > 0) void routeDrop(files, onFiles);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overFn);
    window.addEventListener('drop', drop, { capture: true });
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('drop', drop, { capture: true });
    };
  }, [onFiles]);
  return over;
}
