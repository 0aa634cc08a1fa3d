// The demo entries for experiments: each opens a simulated two-condition experiment with a known
// answer on the Experiment step and runs it, so a newcomer sees cell-level tests at once.
import { experimentActions, openCalciumDemoExperiment, openDemoExperiment } from '../../state/experiment';
import { useUi } from '../../state/uiStore';

interface DemoProps {
  /** The Experiment panel's row of small buttons. */
  small?: boolean;
  testId?: string;
}

function DemoRunButton({
  open,
  label,
  title,
  small,
  testId,
}: DemoProps & { open: () => void; label: string; title: string }) {
  const setStep = useUi((s) => s.setActiveStep);
  return (
    <button
      type="button"
      className={small ? 'btn small' : 'btn'}
      data-testid={testId}
      title={title}
      onClick={() => {
        open();
        setStep('experiment');
        void experimentActions.start().catch(() => undefined);
      }}
    >
      {label}
    </button>
  );
}

export function ExperimentDemoButton({ small, testId = 'experiment-demo' }: DemoProps) {
  return (
    <DemoRunButton
      open={() => openDemoExperiment()}
      label="Two-condition experiment (simulated)"
      title="EVs bound beside structures vs placed at random, 4 cells each, with a known answer: opens it on the Experiment step and runs the batch"
      small={small}
      testId={testId}
    />
  );
}

/** Ca²⁺ responses after EV addition: responder fraction per coverslip, 0.7 vs 0.2. */
export function CalciumExperimentDemoButton({ small, testId = 'calcium-experiment-demo' }: DemoProps) {
  return (
    <DemoRunButton
      open={() => openCalciumDemoExperiment()}
      label="Ca²⁺ experiment (simulated)"
      title="Ca²⁺ responses after EV addition: responder fraction 0.7 (A) vs 0.2 (B), 4 coverslips each, with a known answer: opens it on the Experiment step and runs the batch"
      small={small}
      testId={testId}
    />
  );
}
