// Post-process step (left panel): the localizations in and out, and the step list — drift,
// merging, filters, regions — as editable, toggleable, reorderable data with undo/redo.
import { useEffect } from 'react';
import type { PostStep } from '../../core/locs/pipeline';
import { useLocs } from '../../state/locsStore';
import { postStore, usePost } from '../../state/postStore';
import { reconStore } from '../../state/reconStore';
import { OpenLocsButton } from './OpenLocsButton';
import { exportLocalizationsCsv, exportLocalizationsPicasso, postRuntime } from './postRuntime';
import { StepEditor } from './StepEditor';
import './post.css';

const TITLES: Record<PostStep['kind'], string> = {
  drift: 'Drift correction',
  merge: 'Merge blinks',
  filter: 'Filter',
  region: 'Region',
};

function stepTitle(s: PostStep): string {
  if (s.kind === 'drift') {
    const method = { rcc: 'RCC', fiducial: 'fiducials', auto: 'fiducials, else RCC' }[s.method];
    return `${TITLES.drift} · ${method}${s.force ? ' · forced' : ''}`;
  }
  return TITLES[s.kind];
}

function defaultRegion(): PostStep {
  // Start from what the reconstruction shows, so the rectangle is visible at once.
  const r = reconStore.getState();
  const hw = (r.viewport.w / 4) * r.nmPerPx;
  const hh = (r.viewport.h / 4) * r.nmPerPx;
  const q = (v: number) => Math.round(v);
  return {
    kind: 'region',
    region: { kind: 'rect', x0: q(r.cx - hw), y0: q(r.cy - hh), x1: q(r.cx + hw), y1: q(r.cy + hh) },
  };
}

const ADD: { label: string; hint: string; make(): PostStep }[] = [
  {
    label: 'Drift (RCC)',
    hint: 'Redundant cross-correlation of time-segment reconstructions (Wang et al. 2014)',
    make: () => ({ kind: 'drift', method: 'rcc', options: { segments: 10, pixelNm: 20 } }),
  },
  {
    label: 'Drift (fiducials)',
    hint: 'Average trajectory of beads seen in nearly every frame; auto-detected or picked',
    make: () => ({ kind: 'drift', method: 'fiducial', options: {} }),
  },
  {
    label: 'Merge',
    hint: "Combine one molecule's localizations in consecutive frames",
    make: () => ({ kind: 'merge', radiusNm: 50, maxGapFrames: 1 }),
  },
  {
    label: 'Filter',
    hint: 'Keep rows where an expression on the columns is true',
    make: () => ({ kind: 'filter', expression: 'photons > 0' }),
  },
  { label: 'Region', hint: 'Keep localizations inside (or outside) a rectangle', make: defaultRegion },
];

function isTyping(t: EventTarget | null) {
  return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
}

function useUndoKeys() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.key.toLowerCase() !== 'z') return;
      if (isTyping(e.target)) return; // a field's own undo wins while typing
      e.preventDefault();
      if (e.shiftKey) postStore.getState().redo();
      else postStore.getState().undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function PostPanel() {
  useEffect(() => void postRuntime(), []);
  useUndoKeys();
  const steps = usePost((s) => s.steps);
  const canUndo = usePost((s) => s.past.length > 0);
  const canRedo = usePost((s) => s.future.length > 0);
  const status = usePost((s) => s.status);
  const error = usePost((s) => s.error);
  const summary = usePost((s) => s.summary);
  const count = useLocs((s) => s.count);
  const p = postStore.getState();
  const stats = summary?.stats ?? [];
  // Stats list only enabled steps, in order: map them back to the rows they belong to.
  let k = 0;
  const statFor = steps.map((s) => (s.enabled === false ? undefined : stats[k++]));
  // Keys stay stable while a step is edited (its object is replaced) and change on reorder.
  const seen: Record<string, number> = {};
  const keys = steps.map((s) => {
    seen[s.kind] = (seen[s.kind] ?? 0) + 1;
    return `${s.kind}-${seen[s.kind]}`;
  });

  return (
    <section className="section post-panel" aria-labelledby="post-title" data-step-panel="post">
      <h2 id="post-title">Post-process</h2>
      <div className="row">
        <OpenLocsButton />
        <button
          type="button"
          className="btn small"
          disabled={count === 0}
          title="Save the post-processed localizations as ThunderSTORM CSV"
          onClick={() => void exportLocalizationsCsv()}
        >
          Export CSV
        </button>
        <button
          type="button"
          className="btn small"
          disabled={count === 0}
          title="Save the post-processed localizations as Picasso HDF5 + YAML (camera pixels, 0-based frames)"
          onClick={() => void exportLocalizationsPicasso()}
          data-testid="export-picasso"
        >
          Export Picasso
        </button>
      </div>
      <div className="post-counts num" data-testid="post-counts" aria-live="polite">
        {count === 0 ? (
          <span className="muted">No localizations yet: run Localize or open a CSV.</span>
        ) : (
          <>
            <span title="Raw localizations (never modified)">{count.toLocaleString()} raw</span>
            <span aria-hidden="true"> → </span>
            <span title="After the enabled steps" data-testid="post-count-out">
              {summary ? summary.rowsOut.toLocaleString() : '…'}
            </span>
            {status === 'running' && <span className="dot busy" title="Processing" />}
          </>
        )}
      </div>
      {error && (
        <div className="post-error" role="alert">
          {error}
        </div>
      )}
      <div className="row post-history">
        <button
          type="button"
          className="btn small"
          disabled={!canUndo}
          title="Undo the last change to the steps (Ctrl/Cmd+Z)"
          onClick={() => p.undo()}
        >
          ↶ Undo
        </button>
        <button
          type="button"
          className="btn small"
          disabled={!canRedo}
          title="Redo (Shift+Ctrl/Cmd+Z)"
          onClick={() => p.redo()}
        >
          ↷ Redo
        </button>
      </div>
      <ol className="post-steps" aria-label="Post-processing steps">
        {steps.map((s, i) => {
          const st = statFor[i];
          return (
            <li
              key={keys[i]}
              className={`post-step ${s.enabled === false ? 'off' : ''}`}
              data-post-step={s.kind}
            >
              <div className="post-step-head">
                <label title="Enable or disable this step (the raw data is never changed)">
                  <input
                    type="checkbox"
                    checked={s.enabled !== false}
                    onChange={() => p.toggleStep(i)}
                    aria-label={`Enable ${stepTitle(s)}`}
                  />
                  <span className="post-step-title">{stepTitle(s)}</span>
                </label>
                <span className="spacer" />
                <button
                  type="button"
                  className="btn icon small"
                  disabled={i === 0}
                  aria-label={`Move ${stepTitle(s)} up`}
                  onClick={() => p.moveStep(i, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="btn icon small"
                  disabled={i === steps.length - 1}
                  aria-label={`Move ${stepTitle(s)} down`}
                  onClick={() => p.moveStep(i, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="btn icon small"
                  aria-label={`Remove ${stepTitle(s)}`}
                  onClick={() => p.removeStep(i)}
                >
                  ✕
                </button>
              </div>
              {s.enabled !== false && <StepEditor step={s} index={i} onChange={(n) => p.updateStep(i, n)} />}
              {st && (
                <div className="post-note num">
                  {st.rowsIn.toLocaleString()} → {st.rowsOut.toLocaleString()} · {st.ms.toFixed(0)} ms
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <fieldset className="post-add" aria-label="Add a step">
        {ADD.map((a) => (
          <button
            key={a.label}
            type="button"
            className="btn small"
            title={a.hint}
            data-add-step={a.label}
            onClick={() => p.addStep(a.make())}
          >
            + {a.label}
          </button>
        ))}
      </fieldset>
    </section>
  );
}

export function usePostStateLabel(): string {
  const count = useLocs((s) => s.count);
  const status = usePost((s) => s.status);
  const out = usePost((s) => s.summary?.rowsOut);
  const n = usePost((s) => s.steps.filter((x) => x.enabled !== false).length);
  if (count === 0) return 'no localizations';
  if (status === 'failed') return 'failed';
  if (status === 'running') return 'running…';
  if (out === undefined) return `${count.toLocaleString()} locs`;
  return n === 0 ? `${out.toLocaleString()} locs` : `${n} step${n > 1 ? 's' : ''} · ${out.toLocaleString()}`;
}
