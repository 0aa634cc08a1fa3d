// The demo entry for experiments: opens the simulated two-condition experiment on the
// Experiment step and runs it, so a newcomer sees cell-level tests with a known answer.
import { experimentActions, openDemoExperiment } from '../../state/experiment';
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
