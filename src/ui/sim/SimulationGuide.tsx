// The Data panel's short guided path for a simulated stack: what it is, what its channels show,
// what ground truth buys, and the next step. "Open your own data…" stays the panel's first button.
import type { Photophysics, PresetName, SimulationParams } from '../../core/sim/params';
import { PRESET_DESCRIPTIONS } from '../../core/sim/presets';
import { activeStack, useData } from '../../state/dataStore';
import { simulationParamsOf } from '../../state/simulationActions';
import { useUi } from '../../state/uiStore';
import './sim.css';

const TITLES: Record<PresetName, string> = {
  demo: 'Demo: simulated EV uptake',
  isolated: 'Simulated isolated emitters',
  dstorm: 'Simulated dSTORM of EV markers',
  evMarkers: 'Simulated single EVs, marker channels',
  dense: 'Simulated crowded EVs for multi-emitter fitting',
  calcium: 'Simulated Ca²⁺ responses after EV addition',
  calciumNull: 'Simulated Ca²⁺ control (no responders)',
};

function blurb(p: SimulationParams): string {
  const s = (p.frames * p.frameIntervalMs) / 1000;
  const when = `${Number.isInteger(s) ? s : s.toFixed(1)} s at ${Math.round(1000 / p.frameIntervalMs)} fps`;
  switch (p.scene.kind) {
    case 'uptake':
      return `A cell membrane over ${when}: caveolin-like structures assemble and disassemble while EVs diffuse, bind beside them and are internalised.`;
    case 'isolated':
      return `${p.scene.emittersPerFrame} emitters per frame, each seen once, ${p.frames} frames: a precision test against the CRLB.`;
    case 'evsOnGlass':
      return `${p.scene.evCount} EVs on glass over ${when}, of subtypes ${p.scene.subtypes.map((t) => t.name).join(' and ')}.`;
    case 'calcium':
      return `${p.scene.cellCount} cells loaded with a Ca²⁺ indicator over ${when}; EVs are added at frame ${p.scene.addFrame} and ${Math.round(100 * p.scene.responderFraction)} % of the cells respond. Analyse it in the Ca²⁺ step.`;
  }
}

const PHYSICS: Record<Photophysics['kind'], string> = {
  single: 'one frame each',
  palm: 'PALM',
  dstorm: 'dSTORM blinking',
  stepBleach: 'step bleaching',
  continuous: 'always on',
};

export function SimulationGuide() {
  const st = useData(activeStack);
  const setStep = useUi((s) => s.setActiveStep);
  const p = st ? simulationParamsOf(st.info) : null;
  if (!p) return null;
  // A Ca²⁺ time-lapse has no single molecules: its ground truth is per cell, and its next step is
  // the Ca²⁺ analysis, not localization.
  const calcium = p.scene.kind === 'calcium';
  return (
    <section className="sim-guide" aria-labelledby="sim-guide-title" data-testid="simulation-guide">
      <h3 id="sim-guide-title">{TITLES[p.preset] ?? 'Simulated dataset'}</h3>
      <p title={PRESET_DESCRIPTIONS[p.preset]}>
        {blurb(p)}{' '}
        {calcium
          ? 'Every cell’s response (responder, latency, peak ΔF/F₀) is known; evscope simulate --preset calcium writes it as a truth file.'
          : 'Every emission is known: localizations are scored against it (right panel).'}
      </p>
      {!calcium && (
        <ul>
          {p.channels.map((ch, i) => (
            <li key={ch.name}>
              <b>Ch {i + 1}</b> {ch.name}: {PHYSICS[ch.photophysics.kind]}, {ch.photonsPerFrame} photons/frame
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button
          type="button"
          className="btn primary small"
          title={
            calcium
              ? 'Find the cells and their ΔF/F₀ responses after EV addition'
              : 'Detect and fit the single molecules of this stack'
          }
          onClick={() => setStep(calcium ? 'calcium' : 'localize')}
        >
          {calcium ? 'Next: Ca²⁺ response →' : 'Next: Localize →'}
        </button>
        <span className="muted" style={{ fontSize: 11.5 }}>
          or open your own data above
        </span>
      </div>
    </section>
  );
}
