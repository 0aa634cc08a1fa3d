// The analysis pipeline, in order (src/ui/shell/steps.tsx). Steps that exist open their panel;
// the others say plainly that they are not there yet.
import { useUi } from '../../state/uiStore';
import { STEPS, type StepDef } from './steps';

function StepState({ step }: { step: StepDef }) {
  const label = step.useStateLabel?.() ?? '';
  return <span className="state">{label}</span>;
}

export function Pipeline() {
  const active = useUi((s) => s.activeStep);
  const setActive = useUi((s) => s.pickStep);
  const setCentre = useUi((s) => s.setCentreView);
  return (
    <nav aria-label="Pipeline">
      <ol className="pipeline">
        {STEPS.map((step) =>
          step.Panel ? (
            <li key={step.id}>
              <button
                type="button"
                className="step"
                data-step={step.id}
                aria-current={active === step.id ? 'step' : undefined}
                title={`${step.name}: ${step.hint}`}
                onClick={() => {
                  setActive(step.id);
                  if (step.centre) setCentre(step.centre);
                  // Take the keyboard to the panel that just opened.
                  requestAnimationFrame(() =>
                    document
                      .querySelector<HTMLElement>(`[data-step-panel=${step.id}] :is(button, input, select)`)
                      ?.focus(),
                  );
                }}
              >
                {step.name} {step.useStateLabel ? <StepState step={step} /> : null}
              </button>
            </li>
          ) : (
            <li key={step.id}>
              <button
                type="button"
                className="step"
                aria-disabled="true"
                // Out of the tab order: stops before the first usable control cost keyboard users.
                tabIndex={-1}
                title={`${step.name}: not available yet`}
                onClick={(e) => e.preventDefault()}
              >
                {step.name} <span className="state">not available yet</span>
              </button>
            </li>
          ),
        )}
      </ol>
    </nav>
  );
}
