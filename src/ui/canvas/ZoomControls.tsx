// The zoom buttons of the raw viewer, the movie player and the reconstruction: −, the scale, +,
// Fit and (where the view has one) 1:1.

export interface ZoomControlsProps {
  /** Nothing to show yet: buttons off, the scale a dash. */
  disabled?: boolean;
  /** The scale as the view states it ("250%", "12 nm/px"). */
  scale: string;
  scaleTitle: string;
  scaleClass?: string;
  zoomAt(factor: number): void;
  fit(): void;
  fitTitle: string;
  /** Shows native pixels 1:1 (the image views). */
  oneToOne?: { title: string; run(): void };
  /** The view's keys (−, +) in the button titles. */
  keyHints?: boolean;
}

function StepButton(p: ZoomControlsProps & { label: string; sign: string; factor: number }) {
  return (
    <button
      type="button"
      className="btn icon"
      disabled={p.disabled}
      aria-label={p.label}
      title={p.keyHints ? `${p.label} (${p.sign})` : p.label}
      onClick={() => p.zoomAt(p.factor)}
    >
      {p.sign}
    </button>
  );
}

export function ZoomControls(p: ZoomControlsProps) {
  return (
    <>
      <StepButton {...p} label="Zoom out" sign="−" factor={0.8} />
      {p.scaleClass ? (
        <span className={p.scaleClass} title={p.scaleTitle}>
          {p.scale}
        </span>
      ) : (
        <span className="num" style={{ minWidth: 48, textAlign: 'center' }} title={p.scaleTitle}>
          {p.disabled ? '—' : p.scale}
        </span>
      )}
      <StepButton {...p} label="Zoom in" sign="+" factor={1.25} />
      <button type="button" className="btn" disabled={p.disabled} title={p.fitTitle} onClick={p.fit}>
        Fit
      </button>
      {p.oneToOne && (
        <button
          type="button"
          className="btn"
          disabled={p.disabled}
          title={p.oneToOne.title}
          onClick={p.oneToOne.run}
        >
          1:1
        </button>
      )}
    </>
  );
}
