// The Experiment step (left): inputs grouped cell → condition as an editable table (drop files or
// a folder, or pick them; cell and condition inferred by a pattern the user edits, previewed),
// exclude / include / re-run / remove an input, and the batch queue with progress per input.
import { type DragEvent, useMemo, useState } from 'react';
import { experimentActions, openDemoExperiment } from '../../state/experiment';
import { inputsToRun } from '../../state/experimentActions';
import { plannedSteps, stepProblems } from '../../state/experimentPipeline';
import { BROWSER_STEPS, type PanelStep, stepsFromPanels } from '../../state/experimentSteps';

const PANEL_STEPS: PanelStep[] = ['localize', 'post', ...BROWSER_STEPS.slice(1)];

import type { ExperimentInput, ExperimentSteps } from '../../core/experiment/model';
import { type InputRun, previewPattern, useExperiment } from '../../state/experimentStore';
import { droppedFiles } from './collectFiles';
import { CalciumExperimentDemoButton } from './DemoButton';
import './experiment.css';

// Selectors must return the same object while nothing changed: a fresh [] or {} on every call
// makes React re-render forever (error #185) before any experiment exists.
const NO_INPUTS: ExperimentInput[] = [];
const NO_STEPS: ExperimentSteps = {};

function statusText(r: InputRun | undefined, excluded: boolean): string {
  if (excluded) return 'excluded';
  if (!r) return 'pending';
  if (r.status === 'running') return `${r.phase ?? ''} ${Math.round(100 * (r.progress ?? 0))} %`;
  return r.status;
}

function FilesRow() {
  const add = (list: FileList | null) => {
    if (list?.length) experimentActions.addFiles([...list]);
  };
  return (
    <div className="row ex-files">
      <label className="btn small">
        Add files…
        <input type="file" multiple hidden onChange={(e) => add(e.target.files)} />
      </label>
      <label className="btn small" title="A folder: its sub-folders' names can give the condition">
        Add folder…
        <input
          type="file"
          multiple
          hidden
          // React does not know the attribute: set it on the element.
          ref={(el) => el?.setAttribute('webkitdirectory', '')}
          onChange={(e) => add(e.target.files)}
        />
      </label>
      <button type="button" className="btn small" onClick={() => experimentActions.newExperiment()}>
        New
      </button>
      <button
        type="button"
        className="btn small"
        title="EVs bound beside structures vs placed at random, 4 cells each, with a known answer: opens and runs it"
        onClick={() => {
          openDemoExperiment();
          void experimentActions.start().catch(() => undefined);
        }}
      >
        Two-condition experiment (simulated)
      </button>
      <CalciumExperimentDemoButton small testId="ex-calcium-demo" />
    </div>
  );
}

function PatternRow() {
  const pattern = useExperiment((s) => s.pattern);
  const inputs = useExperiment((s) => s.experiment?.inputs ?? NO_INPUTS);
  const preview = useMemo(() => previewPattern(inputs, pattern), [inputs, pattern]);
  const matched = preview.rows.filter((r) => r.cell !== null).length;
  return (
    <div className="ex-pattern">
      <label>
        Name pattern{' '}
        <input
          aria-label="Name pattern"
          value={pattern}
          title="{condition} and {cell} from the path, e.g. {condition}/{cell}_*.tif; or a /regex/ with named groups (?<condition>…) and (?<cell>…)"
          onChange={(e) => experimentActions.setPattern(e.target.value)}
        />
      </label>
      <button type="button" className="btn small" onClick={() => experimentActions.applyPattern()}>
        Apply
      </button>
      <div className="muted" data-testid="ex-pattern-preview">
        {preview.error ?? `matches ${matched} of ${inputs.length} inputs`}
        {preview.rows.slice(0, 3).map((r) => (
          <div key={r.id}>
            {r.path} → {r.condition ?? '?'} / {r.cell ?? '?'}
          </div>
        ))}
      </div>
    </div>
  );
}

function InputsTable() {
  const inputs = useExperiment((s) => s.experiment?.inputs ?? NO_INPUTS);
  const runs = useExperiment((s) => s.runs);
  if (!inputs.length)
    return <p className="muted">Drop files or a folder here, or open the demo experiment.</p>;
  return (
    <table className="ex-inputs" data-testid="ex-inputs">
      <thead>
        <tr>
          <th>input</th>
          <th>condition</th>
          <th>cell</th>
          <th>status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {inputs.map((x) => {
          const r = runs[x.id];
          return (
            <tr key={x.id} data-status={x.excluded ? 'excluded' : (r?.status ?? 'pending')} title={x.path}>
              <td>{x.id}</td>
              <td>
                <input
                  aria-label={`condition of ${x.id}`}
                  value={x.condition}
                  onChange={(e) => experimentActions.setInput(x.id, { condition: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`cell of ${x.id}`}
                  value={x.cell}
                  onChange={(e) => experimentActions.setInput(x.id, { cell: e.target.value })}
                />
              </td>
              <td title={r?.error}>
                {statusText(r, !!x.excluded)}
                {r?.status === 'running' && (
                  <div className="ex-bar">
                    <span style={{ width: `${Math.round(100 * (r.progress ?? 0))}%` }} />
                  </div>
                )}
                {r?.error && <div className="ex-error">{r.error}</div>}
              </td>
              <td className="ex-actions">
                <button
                  type="button"
                  className="btn small"
                  onClick={() => experimentActions.setExcluded(x.id, !x.excluded)}
                >
                  {x.excluded ? 'Include' : 'Exclude'}
                </button>
                <button type="button" className="btn small" onClick={() => experimentActions.rerun(x.id)}>
                  Re-run
                </button>
                <button type="button" className="btn small" onClick={() => experimentActions.remove(x.id)}>
                  ✕
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const STEP_LABELS: Record<string, string> = {
  localize: 'Localize (stacks)',
  post: 'Post-process (no regions)',
  movie: 'Movie structures',
  tracks: 'EV tracks',
  coloc: 'Distances',
  markers: 'EV markers (stacks)',
  calcium: 'Ca²⁺ responses (stacks)',
};

/** Which steps run, with the parameters the panels have now (shown, so nothing is hidden). */
function StepsRow() {
  const steps = useExperiment((s) => s.experiment?.steps ?? NO_STEPS);
  // The boxes start from the experiment's steps: a new experiment (the demo, a dropped
  // EXPERIMENT.json) shows its own, not the ones ticked before it was opened.
  const planned = plannedSteps(steps).join(',') + (steps.post?.length ? ',post' : '');
  return <StepBoxes key={planned} steps={steps} />;
}

function StepBoxes({ steps }: { steps: ExperimentSteps }) {
  const [which, setWhich] = useState<PanelStep[]>(() => {
    const set: PanelStep[] = plannedSteps(steps);
    if (steps.post?.length) set.push('post');
    return set.length ? set : ['localize', 'movie'];
  });
  const toggle = (s: PanelStep) =>
    setWhich((w) =>
      w.includes(s) ? w.filter((x) => x !== s) : PANEL_STEPS.filter((x) => w.includes(x) || x === s),
    );
  return (
    <fieldset className="mk-group ex-steps">
      <legend>Steps</legend>
      <div className="row">
        {PANEL_STEPS.map((s) => (
          <label key={s}>
            <input type="checkbox" checked={which.includes(s)} onChange={() => toggle(s)} /> {STEP_LABELS[s]}
          </label>
        ))}
      </div>
      <button
        type="button"
        className="btn small"
        title="Every input runs with the parameters the Localize, Movie, Tracks & distances, EV markers and Ca²⁺ panels have now (the Ca²⁺ step segments each input anew)"
        onClick={() => experimentActions.setSteps(stepsFromPanels(which))}
      >
        Use the panels' parameters
      </button>
      <details>
        <summary className="muted">Parameters ({plannedSteps(steps).join(', ') || 'none'})</summary>
        <pre className="ex-json">{JSON.stringify(steps, null, 1)}</pre>
      </details>
    </fieldset>
  );
}

function QueueRow() {
  const state = useExperiment((s) => s);
  const queue = state.queue;
  const steps = state.experiment?.steps ?? {};
  const todo = inputsToRun(state).length;
  const done = Object.values(state.runs).filter((r) => r.status === 'done').length;
  const failed = Object.values(state.runs).filter((r) => r.status === 'failed').length;
  const problems = [
    ...stepProblems(steps, state.experiment?.inputs),
    ...(state.experiment ? experimentActions.startProblems() : []),
  ];
  return (
    <div className="ex-queue">
      <div className="muted">
        Steps: {plannedSteps(steps).join(' → ') || 'none'} · {done} done · {failed} failed · {todo} to run
      </div>
      <div className="row">
        <button
          type="button"
          className="btn primary small"
          disabled={queue !== 'idle' || !todo || problems.length > 0}
          onClick={() => void experimentActions.start().catch(() => undefined)}
        >
          Run batch
        </button>
        <button
          type="button"
          className="btn small"
          disabled={queue !== 'running'}
          onClick={() => experimentActions.cancel()}
        >
          Cancel
        </button>
      </div>
      {problems.map((p) => (
        <div key={p} className="ex-error">
          {p}
        </div>
      ))}
    </div>
  );
}

export function ExperimentPanel() {
  const [over, setOver] = useState(false);
  const title = useExperiment((s) => s.experiment?.title ?? '');
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    experimentActions.addFiles(await droppedFiles(e.dataTransfer));
  };
  return (
    <section
      className={`section ex-panel${over ? ' over' : ''}`}
      aria-labelledby="ex-title"
      data-step-panel="experiment"
      // Files dropped here are the experiment's inputs, not a stack to open (shell/useFileDrop).
      data-drop-zone=""
      onDragOver={(e) => {
        e.preventDefault();
        e.stopPropagation();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => void onDrop(e)}
    >
      <h3 id="ex-title">Experiment{title ? `: ${title}` : ''}</h3>
      <FilesRow />
      <PatternRow />
      <StepsRow />
      <QueueRow />
      <InputsTable />
    </section>
  );
}
