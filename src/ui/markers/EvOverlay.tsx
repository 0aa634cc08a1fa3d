// EV outlines over the raw frames: every counted EV's ROI as a thin circle and the selected EV
// as a bold one with its background ring, following the viewer's zoom and pan. A stand-in until
// the viewer has a shared overlay legend (UX.md); it draws nothing unless the count belongs to
// the stack on screen.
import { useData } from '../../state/dataStore';
import { useMarkers } from '../../state/markersStore';
import { useViewer } from '../../state/viewerStore';

export function EvOverlay() {
  const result = useMarkers((s) => s.result);
  const resultStackId = useMarkers((s) => s.resultStackId);
  const selected = useMarkers((s) => s.selected);
  const show = useMarkers((s) => s.showOverlay);
  const roi = useMarkers((s) => s.params);
  const activeId = useData((s) => s.activeId);
  const zoom = useViewer((s) => s.zoom);
  const panX = useViewer((s) => s.panX);
  const panY = useViewer((s) => s.panY);
  if (!result || !show || resultStackId !== activeId || !roi) return null;
  const px = result.pixelSizeNm;
  const x = result.columns.x;
  const y = result.columns.y;
  const r = roi.radiusPx * zoom;
  const sx = (e: number) => panX + (Number(x[e]) / px) * zoom;
  const sy = (e: number) => panY + (Number(y[e]) / px) * zoom;
  const rows = Array.from({ length: result.length }, (_, e) => e);
  return (
    <svg className="mk-overlay" aria-hidden="true" data-testid="ev-overlay">
      {rows.map((e) => (
        <circle
          key={e}
          cx={sx(e)}
          cy={sy(e)}
          r={Math.max(3, r)}
          className={e === selected ? 'mk-ov-selected' : 'mk-ov-ev'}
        />
      ))}
      {selected !== null && selected < result.length && (
        <>
          <circle cx={sx(selected)} cy={sy(selected)} r={roi.annulusInnerPx * zoom} className="mk-ov-ring" />
          <circle cx={sx(selected)} cy={sy(selected)} r={roi.annulusOuterPx * zoom} className="mk-ov-ring" />
          <text
            x={sx(selected) + Math.max(3, r) + 4}
            y={sy(selected) - Math.max(3, r)}
            className="mk-ov-label"
          >
            EV {String(result.columns.id[selected])}
          </text>
        </>
      )}
    </svg>
  );
}
