// The analysis pipeline as data: each step names its parameter panel (left), its results
// (right) and how to describe its state. A feature adds itself here and nowhere else in the
// shell; steps without a panel are listed as not available yet.
import type { ComponentType } from 'react';
import { useData } from '../../state/dataStore';
import { useExperiment } from '../../state/experimentStore';
import type { CentreViewId, StepId } from '../../state/uiStore';
import { CalciumPanel } from '../calcium/CalciumPanel';
import { CalciumResults } from '../calcium/CalciumResults';
import { useCalciumState } from '../calcium/useCalciumState';
import { DataPanel } from '../data/DataPanel';
import { MetadataPanel } from '../data/MetadataPanel';
import { ExperimentPanel } from '../experiment/ExperimentPanel';
import { ExperimentResults } from '../experiment/ExperimentResults';
import { LocalizePanel } from '../localize/LocalizePanel';
import { LocalizeResults } from '../localize/LocalizeResults';
import { useLocalizeStateLabel } from '../localize/runState';
import { MarkersPanel } from '../markers/MarkersPanel';
import { MarkersResults } from '../markers/MarkersResults';
import { useMarkersState } from '../markers/useMarkersState';
import { MoviePanel } from '../movie/MoviePanel';
import { MovieResults } from '../movie/MovieResults';
import { useMovieState } from '../movie/useMovieState';
import { PostPanel, usePostStateLabel } from '../post/PostPanel';
import { PostResults } from '../post/PostResults';
import { RegistrationPanel } from '../registration/RegistrationPanel';
import { SessionPanel } from '../session/SessionPanel';
import { SessionResults } from '../session/SessionResults';
import { useSessionStateLabel } from '../session/useSessionState';
import { TracksPanel } from '../tracks/TracksPanel';
import { TracksResults } from '../tracks/TracksResults';
import { useTracksState } from '../tracks/useTracksState';
import { GroundTruthPanel } from '../truth/GroundTruthPanel';
import { ContrastPanel } from '../viewer/ContrastPanel';

export type { StepId } from '../../state/uiStore';

export interface StepDef {
  id: StepId;
  name: string;
  /** One line shown on hover. */
  hint: string;
  Panel?: ComponentType;
  Results?: ComponentType;
  /** A short state label: "no data", "running 40%", "done", "stale"… */
  useStateLabel?: () => string;
  /** The centre view the step brings up when the user picks it. */
  centre?: CentreViewId;
}

function DataResults() {
  return (
    <>
      <GroundTruthPanel />
      <MetadataPanel />
      <RegistrationPanel />
      <ContrastPanel />
    </>
  );
}

/** For simulated stacks, the comparison with ground truth sits right under the run's results. */
function LocalizeStepResults() {
  return (
    <>
      <GroundTruthPanel />
      <LocalizeResults />
    </>
  );
}

function useExperimentState(): string {
  const n = useExperiment((s) => s.experiment?.inputs.length ?? 0);
  const done = useExperiment((s) => Object.values(s.runs).filter((r) => r.status === 'done').length);
  const queue = useExperiment((s) => s.queue);
  if (!n) return 'no inputs';
  return queue === 'running' ? `running ${done}/${n}` : `${done}/${n} done`;
}

function useDataState(): string {
  const count = useData((s) => s.stacks.length);
  const loading = useData((s) => s.loading);
  return loading ? 'loading…' : count === 0 ? 'no data' : `${count} loaded`;
}

export const STEPS: StepDef[] = [
  {
    id: 'data',
    name: 'Data',
    hint: 'Open stacks, add channels, correct metadata',
    Panel: DataPanel,
    Results: DataResults,
    useStateLabel: useDataState,
  },
  {
    id: 'localize',
    name: 'Localize',
    hint: 'Detect and fit single molecules',
    Panel: LocalizePanel,
    Results: LocalizeStepResults,
    useStateLabel: useLocalizeStateLabel,
  },
  {
    id: 'post',
    name: 'Post-process',
    hint: 'Drift, blink merging, filters, reconstruction',
    Panel: PostPanel,
    Results: PostResults,
    useStateLabel: usePostStateLabel,
  },
  {
    id: 'movie',
    name: 'Movie',
    hint: 'Sliding-window super-resolution movie and structures',
    Panel: MoviePanel,
    Results: MovieResults,
    useStateLabel: useMovieState,
  },
  {
    id: 'tracks',
    name: 'Tracks & distances',
    hint: 'EV tracking and distance to structures',
    Panel: TracksPanel,
    Results: TracksResults,
    useStateLabel: useTracksState,
  },
  {
    id: 'markers',
    name: 'EV markers',
    hint: 'CD9/CD63/CD81 counts per EV and subtypes',
    Panel: MarkersPanel,
    Results: MarkersResults,
    useStateLabel: useMarkersState,
  },
  {
    id: 'calcium',
    name: 'Ca²⁺ response',
    hint: 'Per-cell Ca²⁺ responses (ΔF/F₀) after EV addition: responders and latency',
    Panel: CalciumPanel,
    Results: CalciumResults,
    useStateLabel: useCalciumState,
  },
  {
    id: 'experiment',
    name: 'Experiment',
    hint: 'Many inputs, cells and conditions: batch runs and cell-level tests',
    Panel: ExperimentPanel,
    Results: ExperimentResults,
    useStateLabel: useExperimentState,
    centre: 'experiment',
  },
  {
    id: 'session',
    name: 'Session',
    hint: 'Save, share and review analyses',
    Panel: SessionPanel,
    Results: SessionResults,
    useStateLabel: useSessionStateLabel,
  },
];

export function stepById(id: StepId): StepDef {
  return STEPS.find((s) => s.id === id) ?? STEPS[0];
}
