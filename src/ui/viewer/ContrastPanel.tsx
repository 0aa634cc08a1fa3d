// Brightness & contrast per channel over the frame's histogram (Fiji's B&C, inline).
import { useEffect, useId, useState } from 'react';
import { COLORMAPS, type ColormapName, colormapLut } from '../../core/display/colormaps';
import type { FrameStats } from '../../core/display/contrast';
import { useFrame } from '../../state/frameStore';
import { type ChannelDisplay, useViewer, viewerStore } from '../../state/viewerStore';

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

function Histogram({ stats, min, max }: { stats: FrameStats; min: number; max: number }) {
  const n = stats.counts.length;
  const span = stats.max - stats.min || 1;
  // Log counts: SMLM frames are mostly background, a linear axis hides the blinks.
  let peak = 0;
  for (const c of stats.counts) peak = Math.max(peak, Math.log1p(c));
  const path: string[] = [];
  stats.counts.forEach((c, i) => {
    const h = peak > 0 ? (Math.log1p(c) / peak) * 100 : 0;
    if (h > 0) path.push(`M${i} 100V${100 - h}h1V100z`);
  });
  const x = (v: number) => Math.max(0, Math.min(n, ((v - stats.min) / span) * n));
  return (
    <svg
      className="histogram"
      viewBox={`0 0 ${n} 100`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`Histogram of frame values ${stats.min} to ${stats.max}`}
    >
      <rect className="window" x={x(min)} y={0} width={Math.max(0, x(max) - x(min))} height={100} />
      <path className="bars" d={path.join('')} />
      <line className="edge" x1={x(min)} x2={x(min)} y1={0} y2={100} vectorEffect="non-scaling-stroke" />
      <line className="edge" x1={x(max)} x2={x(max)} y1={0} y2={100} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

function LutSwatch({ name }: { name: ColormapName }) {
  const lut = colormapLut(name);
  const stops = [0, 64, 128, 192, 255].map(
    (i) => `rgb(${lut[3 * i]},${lut[3 * i + 1]},${lut[3 * i + 2]}) ${(i / 255) * 100}%`,
  );
  return (
    <span
      aria-hidden="true"
      style={{
        display: 'inline-block',
        width: 48,
        height: 10,
        borderRadius: 2,
        background: `linear-gradient(90deg, ${stops.join(',')})`,
      }}
    />
  );
}

function NumberField({
  label,
  value,
  onCommit,
}: {
  label: string;
  value: number;
  onCommit(v: number): boolean;
}) {
  const [text, setText] = useState(String(value));
  const [bad, setBad] = useState(false);
  const id = useId();
  useEffect(() => {
    setText(String(+value.toPrecision(6)));
    setBad(false);
  }, [value]);
  const commit = () => {
    const v = Number(text);
    const ok = text.trim() !== '' && Number.isFinite(v) && onCommit(v);
    setBad(!ok);
  };
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        aria-invalid={bad}
        title={bad ? 'Needs a number, with min below max' : undefined}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </>
  );
}

function ChannelBlock({
  c,
  d,
  stats,
  showName,
}: {
  c: number;
  d: ChannelDisplay;
  stats?: FrameStats;
  showName: boolean;
}) {
  const v = viewerStore.getState();
  return (
    <div className="channel-block">
      <div className="row" style={{ justifyContent: 'space-between', marginBottom: 4 }}>
        {showName && <strong style={{ fontSize: 12 }}>Channel {c + 1}</strong>}
        <label className="row">
          <span className="muted">Colour map</span>
          <select value={d.colormap} onChange={(e) => v.setColormap(c, e.target.value as ColormapName)}>
            {COLORMAPS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <LutSwatch name={d.colormap} />
        </label>
      </div>
      {stats && <Histogram stats={stats} min={d.min} max={d.max} />}
      {stats && (
        <div className="muted num" style={{ fontSize: 11, display: 'flex', justifyContent: 'space-between' }}>
          <span>{fmt(stats.min)}</span>
          <span>mean {stats.mean.toFixed(1)}</span>
          <span>{fmt(stats.max)}</span>
        </div>
      )}
      <div className="contrast-inputs num">
        <NumberField label="Min" value={d.min} onCommit={(x) => x < d.max && v.setWindow(c, x, d.max)} />
        <NumberField label="Max" value={d.max} onCommit={(x) => x > d.min && v.setWindow(c, d.min, x)} />
      </div>
    </div>
  );
}

export function ContrastPanel() {
  const channels = useViewer((s) => s.channels);
  const layout = useViewer((s) => s.layout);
  const shown = useViewer((s) => s.channel);
  const autoEvery = useViewer((s) => s.autoEveryFrame);
  const lowPct = useViewer((s) => s.lowPct);
  const highPct = useViewer((s) => s.highPct);
  const tiles = useFrame((s) => s.result?.tiles);
  if (!tiles) return null;
  const v = viewerStore.getState();
  const visible = layout === 'single' || channels.length === 1 ? [shown] : channels.map((_, c) => c);
  return (
    <section className="section" aria-labelledby="contrast-title">
      <h2 id="contrast-title">Display</h2>
      <div className="row" style={{ marginBottom: 6 }}>
        <button
          type="button"
          className="btn small"
          title={`Set min/max to the ${lowPct}–${highPct} % percentiles of this frame`}
          onClick={() => v.requestAuto()}
        >
          Auto
        </button>
        <label className="row" title="Recompute the window for every frame">
          <input
            type="checkbox"
            checked={autoEvery}
            onChange={(e) => v.setAutoEveryFrame(e.target.checked)}
          />
          every frame
        </label>
        <span className="muted" style={{ fontSize: 11 }}>
          {lowPct}–{highPct} %
        </span>
      </div>
      {visible.map((c) => (
        <ChannelBlock
          key={c}
          c={c}
          d={channels[c]}
          stats={tiles.find((t) => t.channel === c)?.stats}
          showName={channels.length > 1}
        />
      ))}
    </section>
  );
}
