// Data step: what is loaded, opening more, adding a channel, splitting a dual-view camera image.
import { useState } from 'react';
import { dataActions } from '../../state/dataActions';
import { activeStack, useData } from '../../state/dataStore';
import { CalciumExperimentDemoButton, ExperimentDemoButton } from '../experiment/DemoButton';
import { OpenLocsButton } from '../post/OpenLocsButton';
import { NewSimulationButton } from '../sim/NewSimulationDialog';
import { SimulatedTag } from '../sim/SimulatedBadge';
import { SimulationGuide } from '../sim/SimulationGuide';
import { FileButton } from './FileButton';

export function DataPanel() {
  const stacks = useData((s) => s.stacks);
  const tables = useData((s) => s.tables);
  const activeId = useData((s) => s.activeId);
  const loading = useData((s) => s.loading);
  const active = useData(activeStack);
  const [split, setSplit] = useState<'left-right' | 'top-bottom'>('left-right');
  const single = active !== null && active.info.channels === 1;

  return (
    <section className="section" aria-labelledby="data-title" data-step-panel="data">
      <h2 id="data-title">Data</h2>
      <div className="row">
        <FileButton
          className="btn primary"
          testId="open-input"
          onFiles={(f) => void dataActions.openFiles(f)}
        >
          Open your own data…
        </FileButton>
        <NewSimulationButton />
        <OpenLocsButton />
        <ExperimentDemoButton />
        <CalciumExperimentDemoButton />
      </div>
      <p className="muted" style={{ margin: '6px 0 0', fontSize: 12 }}>
        Or drop files anywhere. Files chosen together form one stack. Each stack and table keeps its own
        results: choosing one below shows its localizations, steps, movie, tracks and counts.
      </p>
      {loading && (
        <div className="row" role="status" style={{ marginTop: 6 }}>
          <span className="dot busy" />
          <span style={{ flex: 1 }}>{loading.label}…</span>
          <button type="button" className="btn small" onClick={() => dataActions.cancelLoading()}>
            Cancel
          </button>
        </div>
      )}
      {stacks.length + tables.length > 0 && (
        <ul className="stack-list" aria-label="Loaded stacks">
          {stacks.map(({ info }) => (
            <li key={info.id} className={info.id === activeId ? 'active' : ''}>
              <button
                type="button"
                className="pick"
                aria-pressed={info.id === activeId}
                title={info.files.join('\n')}
                onClick={() => dataActions.select(info.id)}
              >
                <span>{info.name}</span>
                <small className="num">
                  {info.width}×{info.height} · {info.frameCount} frames
                  {info.channels > 1 ? ` · ${info.channels} ch` : ''}
                  <SimulatedTag info={info} />
                </small>
              </button>
              <button
                type="button"
                className="close-x"
                aria-label={`Close ${info.name}`}
                onClick={() => dataActions.close(info.id)}
              >
                ✕
              </button>
            </li>
          ))}
          {tables.map((t) => (
            <li key={t.id} className={t.id === activeId ? 'active' : ''}>
              <button
                type="button"
                className="pick"
                aria-pressed={t.id === activeId}
                title={`${t.name}: localizations opened without their stack; results made from them stay with them`}
                onClick={() => dataActions.select(t.id)}
              >
                <span>{t.name}</span>
                <small className="num">
                  table · {t.count.toLocaleString('en-US')} localizations · {t.format}
                </small>
              </button>
              <button
                type="button"
                className="close-x"
                aria-label={`Close ${t.name}`}
                onClick={() => dataActions.close(t.id)}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      <SimulationGuide />
      {active && (
        <div style={{ display: 'grid', gap: 6, marginTop: 4 }}>
          <div className="row">
            <FileButton
              className="btn small"
              testId="channel-input"
              disabled={!single}
              title={
                single
                  ? 'Open a stack of the same size as channel 2'
                  : 'The stack already has several channels'
              }
              onFiles={(f) => void dataActions.addChannel(f)}
            >
              Add second channel…
            </FileButton>
          </div>
          <div className="row">
            <button
              type="button"
              className="btn small"
              disabled={!single}
              title="Cut each frame in two halves that become two channels (dual-view cameras)"
              onClick={() => void dataActions.splitDualView(split)}
            >
              Split dual view
            </button>
            <select
              aria-label="Dual-view layout"
              value={split}
              disabled={!single}
              onChange={(e) => setSplit(e.target.value as typeof split)}
            >
              <option value="left-right">left | right</option>
              <option value="top-bottom">top / bottom</option>
            </select>
          </div>
        </div>
      )}
    </section>
  );
}
