// Frame navigation: play/pause, rate, slider, and a field to jump to a frame (1-based for people).
import { useEffect, useState } from 'react';
import { useViewer, viewerStore } from '../../state/viewerStore';
import { usePlayback } from './usePlayback';

export function FrameBar() {
  usePlayback();
  const frame = useViewer((s) => s.frame);
  const count = useViewer((s) => s.frameCount);
  const playing = useViewer((s) => s.playing);
  const fps = useViewer((s) => s.fps);
  const [text, setText] = useState(String(frame + 1));
  useEffect(() => setText(count === 0 ? '' : String(frame + 1)), [frame, count]);
  const v = viewerStore.getState();
  const disabled = count === 0;
  const jump = () => {
    const n = Number(text);
    if (Number.isFinite(n)) v.setFrame(n - 1);
    setText(String(viewerStore.getState().frame + 1));
  };
  return (
    <div className="frame-bar">
      <button
        type="button"
        className="btn icon"
        disabled={count < 2}
        aria-label={playing ? 'Pause' : 'Play'}
        title={playing ? 'Pause (space)' : 'Play (space)'}
        onClick={() => v.setPlaying(!playing)}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      <label className="row" title="Playback rate">
        <input
          className="fps-field"
          type="number"
          min={1}
          max={200}
          value={fps}
          aria-label="Playback rate (frames/s)"
          onChange={(e) => v.setFps(Number(e.target.value) || 1)}
        />
        <span className="muted">fps</span>
      </label>
      <input
        type="range"
        aria-label="Frame"
        min={0}
        max={Math.max(0, count - 1)}
        value={frame}
        disabled={disabled}
        onChange={(e) => v.setFrame(Number(e.target.value))}
      />
      <span className="row num">
        <input
          className="frame-field"
          type="number"
          min={1}
          max={Math.max(1, count)}
          aria-label="Frame number"
          value={text}
          disabled={disabled}
          onChange={(e) => setText(e.target.value)}
          onBlur={jump}
          onKeyDown={(e) => e.key === 'Enter' && jump()}
        />
        <span className="muted" data-testid="frame-count">
          / {count}
        </span>
      </span>
    </div>
  );
}
