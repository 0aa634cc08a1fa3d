// Simulated data must never pass for a measurement: a badge wherever a simulated stack shows
// (header, stack list, viewer corner) says so and that its ground truth is available.
import type { StackInfo } from '../../engine/stackService';
import { activeStack, useData } from '../../state/dataStore';
import { simulationParamsOf } from '../../state/simulationActions';
import './sim.css';

export function simulatedText(info: StackInfo): string | null {
  const p = simulationParamsOf(info);
  return p ? `Simulated · ${p.preset} — ground truth available` : null;
}

/** Header badge for the active stack. */
export function SimulatedBadge() {
  const st = useData(activeStack);
  const text = st ? simulatedText(st.info) : null;
  if (!text) return null;
  return (
    <span
      className="sim-badge"
      data-testid="simulated-badge"
      title="The frames shown are simulated: every emitter's true position and photons are known, so localizations can be scored against them"
    >
      {text}
    </span>
  );
}

/** Small tag for a stack in the Data panel's list. */
export function SimulatedTag({ info }: { info: StackInfo }) {
  const p = simulationParamsOf(info);
  if (!p) return null;
  return (
    <span className="sim-badge small" title={simulatedText(info) ?? undefined}>
      simulated
    </span>
  );
}

/** Viewer corner label: whoever looks only at the image still sees that it is simulated. */
export function SimulatedCorner() {
  const st = useData(activeStack);
  const text = st ? simulatedText(st.info) : null;
  if (!text) return null;
  return (
    <div className="sim-corner" data-testid="simulated-corner">
      {text}
    </div>
  );
}
