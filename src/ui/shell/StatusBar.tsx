import { useEffect, useState } from 'react';
import { useFrame } from '../../state/frameStore';
import { useUi } from '../../state/uiStore';
import { RunProgressBar } from '../localize/RunProgressBar';
import { SessionStatus } from '../session/SessionStatus';

interface ChromeMemory {
  usedJSHeapSize: number;
  jsHeapSizeLimit: number;
}

function readMemory(): ChromeMemory | null {
  // Only Chromium exposes heap size; elsewhere the status bar says so rather than guessing.
  const m = (performance as Performance & { memory?: ChromeMemory }).memory;
  return m ? { usedJSHeapSize: m.usedJSHeapSize, jsHeapSizeLimit: m.jsHeapSizeLimit } : null;
}

const MB = 2 ** 20;

export function StatusBar() {
  const activity = useUi((s) => s.activity);
  const decodeMs = useFrame((s) => s.result?.decodeMs);
  const [mem, setMem] = useState(readMemory);
  useEffect(() => {
    const t = setInterval(() => setMem(readMemory()), 2000);
    return () => clearInterval(t);
  }, []);
  const busy = activity.pending > 0;
  return (
    <footer className="status-bar">
      <span title="The stack worker decodes frames off the main thread">
        <span className={`dot ${busy ? 'busy' : ''}`} />
        Stack worker: <b>{busy ? activity.label : 'idle'}</b>
        {busy && activity.pending > 1 ? ` (+${activity.pending - 1})` : ''}
      </span>
      {decodeMs !== undefined && (
        <span title="Time to read the last frame (0 when it came from the cache)">
          Frame read: <b className="num">{decodeMs.toFixed(1)} ms</b>
        </span>
      )}
      <span title="JavaScript heap of this tab (Chromium only)">
        Memory:{' '}
        <b className="num">
          {mem
            ? `${(mem.usedJSHeapSize / MB).toFixed(0)} MB of ${(mem.jsHeapSizeLimit / MB).toFixed(0)} MB`
            : 'not reported by this browser'}
        </b>
      </span>
      <RunProgressBar compact />
      <span className="spacer" />
      <SessionStatus />
    </footer>
  );
}
