// The demo entry for experiments: opens the simulated two-condition experiment on the
// Experiment step and runs it, so a newcomer sees cell-level tests with a known answer.
import { experimentActions, openCalciumDemoExperiment, openDemoExperiment } from '../../state/experiment';
import { useUi } from '../../state/uiStore';

export function ExperimentDemoButton() {
  const setStep = useUi((s) => s.setActiveStep);
  return (
    <button
      type="button"
      className="btn"
      data-testid="experiment-demo"
      title="EVs bound beside structures vs placed at random, 4 cells each, with a known answer: opens it on the Experiment step and runs the batch"
      onClick={() => {
        openDemoExperiment();
        setStep('experiment');
        void experimentActions.start().catch(() => undefined);
      }}
    >
      Two-condition experiment (simulated)
    </button>
  );
}

/** The Ca²⁺ experiment's demo entry: responder fraction per coverslip, 0.7 vs 0.2, known answer. */
export function CalciumExperimentDemoButton() {
  const setStep = useUi((s) => s.setActiveStep);
  return (
    <button
      type="button"
      className="btn"
      data-testid="calcium-experiment-demo"
      title="Ca²⁺ responses after EV addition: responder fraction 0.7 (A) vs 0.2 (B), 4 coverslips each, with a known answer: opens it on the Experiment step and runs the batch"
      onClick={() => {
        openCalciumDemoExperiment();
        setStep('experiment');
        void experimentActions.start().catch(() => undefined);
      }}
    >
      Ca²⁺ experiment (simulated)
    </button>
  );
}
