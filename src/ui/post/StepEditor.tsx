// One post-processing step's parameters. Every edit replaces the step in the store (one undo
// entry per committed change).
import { useEffect, useState } from 'react';
import { validateFilter } from '../../core/locs/filterExpr';
import {
  FiducialOptionsSchema,
  MergeStepSchema,
  type PostStep,
  RccOptionsSchema,
} from '../../core/locs/pipeline';
import type { Region } from '../../core/locs/region';
import { numIn, v } from '../../core/schema';
import { usePost } from '../../state/postStore';
import { reconStore } from '../../state/reconStore';
import { uiStore } from '../../state/uiStore';
import { NumberField } from '../forms/fields';

const R = RccOptionsSchema.entries;
const FID = FiducialOptionsSchema.entries;
const MERGE = MergeStepSchema.entries;
/** A region edge, nm (the region schema's coordinates). */
const EDGE = numIn();

type Props<K extends PostStep['kind']> = {
  step: Extract<PostStep, { kind: K }>;
  index: number;
  onChange(step: PostStep): void;
};

export function StepEditor({
  step,
  index,
  onChange,
}: {
  step: PostStep;
  index: number;
  onChange(s: PostStep): void;
}) {
  switch (step.kind) {
    case 'drift':
      return <DriftEditor step={step} index={index} onChange={onChange} />;
    case 'merge':
      return <MergeEditor step={step} index={index} onChange={onChange} />;
    case 'filter':
      return <FilterEditor step={step} index={index} onChange={onChange} />;
    case 'region':
      return <RegionEditor step={step} index={index} onChange={onChange} />;
  }
}

function startDrawing(mode: 'region' | 'fiducial', index: number) {
  reconStore.getState().setDraw(mode, index);
  uiStore.getState().setCentreView('reconstruction');
}

function DriftEditor({ step, index, onChange }: Props<'drift'>) {
  if (step.method !== 'fiducial') {
    const o = step.options ?? {};
    const set = (patch: Record<string, number>) => onChange({ ...step, options: { ...o, ...patch } });
    return (
      <>
        <NumberField
          className="post-field"
          label="Segments"
          hint="Time segments reconstructed and cross-correlated pairwise; each needs enough localizations to show the structure"
          value={o.segments ?? 10}
          schema={v.unwrap(R.segments)}
          onCommit={(v) => set({ segments: v })}
        />
        <NumberField
          className="post-field"
          label="Render pixel"
          unit="nm"
          hint="Pixel of the segment reconstructions; the shift is found to a fraction of it"
          value={o.pixelNm ?? 20}
          schema={v.unwrap(R.pixelNm)}
          onCommit={(v) => set({ pixelNm: v })}
        />
        <NumberField
          className="post-field"
          label="Max shift"
          unit="nm"
          hint="Largest drift between any two segments that is searched"
          value={o.maxShiftNm ?? 1000}
          schema={v.unwrap(R.maxShiftNm)}
          onCommit={(v) => set({ maxShiftNm: v })}
        />
        <NumberField
          className="post-field"
          label="Pair reach"
          unit="segments"
          hint="Correlate only segments at most this many apart (0: all pairs). For live cells whose structures come and go, 2 correlates neighbours only, which still share structure"
          value={o.maxPairSeparation ?? 0}
          schema={v.unwrap(R.maxPairSeparation)}
          onCommit={(v) => set({ maxPairSeparation: v })}
        />
      </>
    );
  }
  const o = step.options ?? {};
  const regions = o.regions ?? [];
  return (
    <>
      <div className="row post-note">
        {regions.length === 0
          ? 'Fiducials detected automatically (tracks in ≥ 90% of frames).'
          : `${regions.length} picked fiducial region${regions.length > 1 ? 's' : ''}.`}
      </div>
      <div className="row">
        <button
          type="button"
          className="btn small"
          title="Drag rectangles around beads on the reconstruction"
          onClick={() => startDrawing('fiducial', index)}
        >
          Pick on reconstruction
        </button>
        {regions.length > 0 && (
          <button
            type="button"
            className="btn small"
            onClick={() => onChange({ ...step, options: { ...o, regions: undefined } })}
          >
            Auto-detect instead
          </button>
        )}
      </div>
      <NumberField
        className="post-field"
        label="Smoothing"
        unit="frames"
        hint="Window of the local linear fit that smooths the averaged fiducial trace"
        value={o.smoothFrames ?? 200}
        schema={v.unwrap(FID.smoothFrames)}
        onCommit={(v) => onChange({ ...step, options: { ...o, smoothFrames: v } })}
      />
    </>
  );
}

function MergeEditor({ step, onChange }: Props<'merge'>) {
  return (
    <>
      <NumberField
        className="post-field"
        label="Radius"
        unit="nm"
        hint="Localizations in later frames within this distance join the same molecule"
        value={step.radiusNm}
        schema={MERGE.radiusNm}
        onCommit={(v) => onChange({ ...step, radiusNm: v })}
      />
      <NumberField
        className="post-field"
        label="Max dark"
        unit="frames"
        hint="Frames a molecule may stay dark between two blinks and still be merged"
        value={step.maxGapFrames}
        schema={MERGE.maxGapFrames}
        onCommit={(v) => onChange({ ...step, maxGapFrames: v })}
      />
      <label className="field post-field" title="How merged positions are averaged">
        <span>Weighting</span>
        <select
          value={step.weighting ?? 'precision'}
          onChange={(e) => onChange({ ...step, weighting: e.currentTarget.value as 'precision' })}
        >
          <option value="precision">precision (1/σ²)</option>
          <option value="photons">photons</option>
          <option value="equal">equal</option>
        </select>
      </label>
    </>
  );
}

function FilterEditor({ step, onChange }: Props<'filter'>) {
  const columns = usePost((s) => s.summary?.columns) ?? [];
  const [text, setText] = useState(step.expression);
  useEffect(() => setText(step.expression), [step.expression]);
  // Validate against the raw columns plus those earlier steps add (n_merged, x_raw…).
  const known = [...new Set([...columns, 'frame', 'x', 'y'])];
  const error = text.trim() === '' ? null : validateFilter(text, known);
  const commit = () => {
    if (!error && text.trim() !== '' && text !== step.expression) onChange({ ...step, expression: text });
  };
  return (
    <div className="post-filter">
      <input
        type="text"
        value={text}
        spellCheck={false}
        aria-label="Filter expression"
        aria-invalid={error ? 'true' : undefined}
        data-testid="filter-expression"
        title={`Rows where the expression is true are kept. Columns: ${known.join(', ')}. Operators: < <= > >= == != && || ! + - * /, "col in [a, b]", abs() sqrt() log() min() max()`}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      {error ? (
        <div className="invalid" role="alert">
          <code className="caret">
            {text}
            {'\n'}
            {`${' '.repeat(error.position)}^`}
          </code>
          {error.message}
        </div>
      ) : (
        <div className="post-note">e.g. photons &gt; 500 &amp;&amp; precision in [0, 25]</div>
      )}
    </div>
  );
}

function RegionEditor({ step, index, onChange }: Props<'region'>) {
  const r: Region = step.region;
  if (r.kind !== 'rect') return <div className="post-note">Polygon with {r.x.length} vertices</div>;
  const set = (patch: Partial<typeof r>) => {
    const next = { ...r, ...patch };
    if (next.x1 > next.x0 && next.y1 > next.y0) onChange({ ...step, region: next });
    else
      uiStore
        .getState()
        .notify('warning', 'Region not changed', 'The right/bottom edge must exceed the left/top.');
  };
  return (
    <>
      <div>
        <NumberField
          className="post-field"
          label="x₀"
          unit="nm"
          hint="Left edge"
          value={round(r.x0)}
          schema={EDGE}
          onCommit={(v) => set({ x0: v })}
        />
        <NumberField
          className="post-field"
          label="x₁"
          unit="nm"
          hint="Right edge"
          value={round(r.x1)}
          schema={EDGE}
          onCommit={(v) => set({ x1: v })}
        />
        <NumberField
          className="post-field"
          label="y₀"
          unit="nm"
          hint="Top edge"
          value={round(r.y0)}
          schema={EDGE}
          onCommit={(v) => set({ y0: v })}
        />
        <NumberField
          className="post-field"
          label="y₁"
          unit="nm"
          hint="Bottom edge"
          value={round(r.y1)}
          schema={EDGE}
          onCommit={(v) => set({ y1: v })}
        />
      </div>
      <div className="row">
        <button
          type="button"
          className="btn small"
          title="Drag a rectangle on the reconstruction"
          onClick={() => startDrawing('region', index)}
        >
          Draw on reconstruction
        </button>
        <label title="Keep the localizations outside the rectangle instead">
          <input
            type="checkbox"
            checked={step.invert ?? false}
            onChange={(e) => onChange({ ...step, invert: e.currentTarget.checked })}
          />{' '}
          outside
        </label>
      </div>
    </>
  );
}

const round = (v: number) => Math.round(v * 10) / 10;
