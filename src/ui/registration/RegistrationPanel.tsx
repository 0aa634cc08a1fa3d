// Two-colour registration of the active stack (Data step, stacks with ≥ 2 channels): per channel
// the affine onto channel 1 with its provenance and residuals, "Fit from beads…" (a bead stack
// or this stack's frames, localized in a worker, with progress and Cancel), typed entry of an
// affine or a translation, "Use identity", the residual-vector plot and the bead overlay.
import { useMemo, useState } from 'react';
import { formatDuration } from '../../core/ev/format';
import { type Affine6, affine6Problem, describeAffine6, isIdentity6 } from '../../core/registration/affine6';
import {
  RegistrationFitSchema,
  RegistrationFrameSchema,
  RegistrationShiftNmSchema,
} from '../../core/registration/schema';
import { v } from '../../core/schema';
import { Plot } from '../../plots/Plot';
import { registrationResidualFigure } from '../../plots/registration';
import { activeStack, effectiveMeta, type LoadedStack, useData } from '../../state/dataStore';
import { DEFAULT_FIT_FRAMES, planFit } from '../../state/registrationActions';
import {
  type ChannelRegistration,
  describeSource,
  LOO_WARNING_NM,
  registrationStore,
  useRegistration,
} from '../../state/registrationStore';
import { uiStore, useUi } from '../../state/uiStore';
import { NumberField } from '../forms/fields';
import { useRegistrationOverlay } from './overlay';
import './registration.css';
import { PHYSICAL_DEFAULTS } from '../../core/physicalDefaults';

export function RegistrationPanel() {
  const st = useData(activeStack);
  if (!st || st.info.channels < 2) return null;
  return <Panel st={st} />;
}

function Panel({ st }: { st: LoadedStack }) {
  const id = st.info.id;
  const regs = useRegistration((s) => s.byStack[id]);
  const fit = useRegistration((s) => s.fit);
  const showOverlay = useRegistration((s) => s.showOverlay);
  const [mode, setMode] = useState<'none' | 'fit' | 'type'>('none');
  const [plotChannel, setPlotChannel] = useState(1);
  useRegistrationOverlay(st);
  const running = fit.status === 'running' && fit.stackId === id;
  const channels = Array.from({ length: st.info.channels - 1 }, (_, i) => i + 1);
  const shown = regs?.[plotChannel];
  const px = effectiveMeta(st).pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm;
  const centre: [number, number] = [(st.info.width * px) / 2, (st.info.height * px) / 2];
  return (
    <section className="section rg-panel" aria-labelledby="rg-title" data-testid="registration-panel">
      <h2 id="rg-title">Channel registration</h2>
      <p className="muted rg-note">
        Affine maps of each channel’s camera onto channel 1’s, used to place EV ROIs in every channel.
      </p>
      <table className="rg-table num" data-testid="registration-table">
        <thead>
          <tr>
            <th>ch</th>
            <th title="Where the map came from">source</th>
            <th title="Residual RMS over the beads used, x / y / total (nm)">RMS nm</th>
            <th title="Leave-one-out RMS: each bead predicted by a fit without it (nm) — the error to expect between beads">
              LOO nm
            </th>
            <th title="Beads used / rejected as outliers">beads</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((c) => (
            <ChannelRow key={c} channel={c} reg={regs?.[c] ?? null} centre={centre} />
          ))}
        </tbody>
      </table>
      {channels.map((c) => {
        const r = regs?.[c];
        return r?.stats && r.stats.looRms > LOO_WARNING_NM ? (
          <p key={c} className="rg-warn" role="alert" data-testid="registration-warning">
            Channel {c + 1}: leave-one-out error {r.stats.looRms.toFixed(1)} nm &gt; {LOO_WARNING_NM} nm — use
            more or brighter beads spread over the whole field, or check that the beads are seen in both
            channels.
          </p>
        ) : null;
      })}
      {fit.stackId === id && fit.error && (
        <p className="rg-error" role="alert" data-testid="registration-error">
          {fit.error}
        </p>
      )}
      {fit.stackId === id &&
        fit.status === 'done' &&
        fit.channelErrors.map((e) => (
          <p key={e.channel} className="rg-error" role="alert">
            Channel {e.channel + 1} kept its previous registration: {e.error}
          </p>
        ))}
      {running ? (
        <FitProgress />
      ) : (
        <div className="rg-actions">
          <button
            type="button"
            onClick={() => setMode(mode === 'fit' ? 'none' : 'fit')}
            aria-expanded={mode === 'fit'}
            title="Localize beads in every channel and fit the affine maps onto channel 1"
            data-testid="registration-fit-open"
          >
            Fit from beads…
          </button>
          <button
            type="button"
            onClick={() => setMode(mode === 'type' ? 'none' : 'type')}
            aria-expanded={mode === 'type'}
            title="Type a known affine (6 numbers) or a translation"
          >
            Type…
          </button>
          <button
            type="button"
            onClick={() => registrationStore.getState().useIdentity(id, st.info.channels)}
            title="Take the channels as aligned (no transform)"
            data-testid="registration-identity"
          >
            Use identity
          </button>
        </div>
      )}
      {mode === 'fit' && !running && <FitForm st={st} onDone={() => setMode('none')} />}
      {mode === 'type' && <TypeForm st={st} onDone={() => setMode('none')} />}
      {channels.some((c) => regs?.[c]?.beads) && (
        <>
          <div className="rg-plot-head">
            <span>Residuals</span>
            {channels.length > 1 && (
              <select
                aria-label="Channel of the residual plot"
                value={plotChannel}
                onChange={(e) => setPlotChannel(Number(e.target.value))}
              >
                {channels.map((c) => (
                  <option key={c} value={c}>
                    channel {c + 1}
                  </option>
                ))}
              </select>
            )}
            <label
              className="rg-check"
              title="Channel-1 beads (circles) and the registered beads of the other channel (crosses) over the raw frames"
            >
              <input
                type="checkbox"
                checked={showOverlay}
                onChange={(e) => registrationStore.getState().setShowOverlay(e.target.checked)}
                data-testid="registration-overlay-toggle"
              />
              beads on the image
            </label>
          </div>
          {shown?.beads ? (
            <ResidualPlot st={st} reg={shown} />
          ) : (
            <p className="muted rg-note">No beads for this channel.</p>
          )}
        </>
      )}
    </section>
  );
}

function fmt(v: number, d = 1): string {
  return Number.isFinite(v) ? v.toFixed(d) : '–';
}

function ChannelRow({
  channel,
  reg,
  centre,
}: {
  channel: number;
  reg: ChannelRegistration | null;
  centre: [number, number];
}) {
  if (!reg)
    return (
      <tr>
        <td>{channel + 1}</td>
        <td className="muted" colSpan={4}>
          not registered (taken as aligned)
        </td>
      </tr>
    );
  const g = describeAffine6(reg.toReference, centre[0], centre[1]);
  const s = reg.stats;
  const title = `x' = ${reg.toReference
    .slice(0, 3)
    .map((v) => v.toPrecision(6))
    .join(', ')}; y' = ${reg.toReference
    .slice(3)
    .map((v) => v.toPrecision(6))
    .join(', ')} (nm)`;
  return (
    <tr data-testid={`registration-row-${channel}`}>
      <td>{channel + 1}</td>
      <td title={title}>
        <div className="rg-src">{describeSource(reg.source)}</div>
        {!isIdentity6(reg.toReference) && (
          <div className="muted rg-geom">
            <span title="Shift of the field centre, rotation and scale of the map onto channel 1">
              centre shift {fmt(g.tx)}, {fmt(g.ty)} nm · {fmt(g.rotationDeg, 3)}° · ×{g.scale.toFixed(5)}
            </span>
          </div>
        )}
      </td>
      <td data-testid={`registration-rms-${channel}`}>
        {s ? (
          <>
            {fmt(s.rmsX)} / {fmt(s.rmsY)} / <b>{fmt(s.rms)}</b>
          </>
        ) : (
          '–'
        )}
      </td>
      <td
        className={s && s.looRms > LOO_WARNING_NM ? 'rg-bad' : ''}
        data-testid={`registration-loo-${channel}`}
      >
        {s ? fmt(s.looRms) : '–'}
      </td>
      <td>{s ? `${s.pairs} / ${s.outliers}` : '–'}</td>
    </tr>
  );
}

function FitProgress() {
  const p = useRegistration((s) => s.fit.progress);
  const frac = p?.total ? p.done / p.total : 0;
  const eta = p ? formatDuration(p.etaSeconds) : '';
  return (
    <div className="rg-progress" role="status">
      <progress aria-label="Registration fit progress" {...(p ? { value: frac, max: 1 } : {})} />
      <span className="muted num">
        {p
          ? `localizing ${Math.round(100 * frac)} % · ${p.rate.toFixed(0)} frames/s${eta ? ` · ${eta} left` : ''}`
          : 'opening…'}
      </span>
      <button type="button" onClick={() => registrationStore.getState().cancelFit()}>
        Cancel
      </button>
    </div>
  );
}

const LAST_FRAME = v.nullable(RegistrationFrameSchema);

/** Which of a form's fields hold text their schema refuses (the form's button waits for none). */
function useInvalidFields() {
  const [invalid, setInvalid] = useState<ReadonlySet<string>>(new Set());
  const track = (id: string) => (ok: boolean) =>
    setInvalid((prev) => {
      if (prev.has(id) === !ok) return prev;
      const next = new Set(prev);
      if (ok) next.delete(id);
      else next.add(id);
      return next;
    });
  return { anyInvalid: invalid.size > 0, track };
}

function FitForm({ st, onDone }: { st: LoadedStack; onDone: () => void }) {
  const stacks = useData((s) => s.stacks);
  const candidates = stacks.filter((s) => s.info.channels >= st.info.channels);
  const [beadId, setBeadId] = useState(st.info.id);
  const beads = candidates.find((s) => s.info.id === beadId) ?? st;
  const [first, setFirst] = useState(1);
  const [last, setLast] = useState<number | null>(null);
  const [mode, setMode] = useState<'frames' | 'mean'>('frames');
  const [threshold, setThreshold] = useState<number | undefined>(2);
  const { anyInvalid, track } = useInvalidFields();
  const defaultLast = Math.min(beads.info.frameCount, DEFAULT_FIT_FRAMES);
  // The fields' limits are the fit's schema (as evscope.fitRegistration's); planFit adds the
  // bead stack's frame count and channel layout.
  const plan = planFit(st, beads, {
    beadStackId: beads.info.id,
    frames: [first, last ?? defaultLast],
    mode,
    thresholdFactor: threshold,
  });
  const runnable = plan.ok && !anyInvalid;
  const go = () => {
    if (!runnable) return;
    onDone();
    void registrationStore
      .getState()
      .runFit(st.info.id, plan.req, plan.source)
      .then((regs) => {
        const f = registrationStore.getState().fit;
        if (!regs && f.status === 'failed')
          uiStore
            .getState()
            .notify(
              'error',
              'Registration failed',
              f.error ?? '',
              'Check that the beads appear in every channel.',
            );
      });
  };
  return (
    <fieldset className="rg-form" data-testid="registration-fit-form">
      <legend>Fit from beads</legend>
      <label
        className="rg-field"
        title="Beads imaged in the same channels: a separate bead stack opened in the Data step, or this stack's own frames (isolated emitters seen in every channel)"
      >
        <span>Beads</span>
        <select
          value={beads.info.id}
          onChange={(e) => setBeadId(Number(e.target.value))}
          data-testid="registration-bead-stack"
        >
          {candidates.map((s) => (
            <option key={s.info.id} value={s.info.id}>
              {s.info.id === st.info.id ? `this stack’s frames (${s.info.name})` : s.info.name}
            </option>
          ))}
        </select>
      </label>
      <div className="rg-field" title="1-based, inclusive">
        <span>Frames</span>
        <span className="rg-pair">
          <NumberField
            compact
            live
            label="First frame"
            hint="First frame of the fit (1-based)"
            value={first}
            schema={RegistrationFrameSchema}
            onCommit={(x) => typeof x === 'number' && setFirst(x)}
            onValidity={track('first')}
            testId="registration-first-frame"
          />
          –
          <NumberField
            compact
            live
            label="Last frame"
            hint={`Last frame of the fit (1-based, inclusive); empty: ${defaultLast}`}
            value={last}
            placeholder={String(defaultLast)}
            schema={LAST_FRAME}
            onCommit={(x) => setLast(x ?? null)}
            onValidity={track('last')}
            testId="registration-last-frame"
          />
        </span>
      </div>
      <label
        className="rg-field"
        title="Every frame: localize each frame and pair within it, averaging each bead over the frames (beads, or emitters that change between frames). Mean: localize the mean of the frames once (dim, static beads)."
      >
        <span>Localize</span>
        <select value={mode} onChange={(e) => setMode(e.target.value as 'frames' | 'mean')}>
          <option value="frames">every frame, average per bead</option>
          <option value="mean">the mean of the frames</option>
        </select>
      </label>
      <div
        className="rg-field"
        title="Detection threshold in units of the noise σ of the first wavelet level: beads are bright, so 2 rejects most background"
      >
        <span>Threshold (× σ)</span>
        <NumberField
          compact
          live
          label="Threshold (× σ)"
          unit="× σ"
          hint="Detection threshold, × the noise σ of the first wavelet level; empty: 2"
          value={threshold}
          placeholder="2"
          schema={RegistrationFitSchema.entries.thresholdFactor}
          onCommit={(x) => setThreshold(x ?? undefined)}
          onValidity={track('threshold')}
          testId="registration-threshold"
        />
      </div>
      <p className="muted rg-note">
        Camera and pixel size ({effectiveMeta(beads).pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm} nm) from{' '}
        {beads.info.name}’s metadata.
      </p>
      {!plan.ok &&
        plan.errors.map((e) => (
          <p key={e} className="rg-error">
            {e}
          </p>
        ))}
      <div className="rg-actions">
        <button
          type="button"
          className="primary"
          disabled={!runnable}
          onClick={go}
          data-testid="registration-fit-run"
        >
          Fit
        </button>
        <button type="button" onClick={onDone}>
          Close
        </button>
      </div>
    </fieldset>
  );
}

function TypeForm({ st, onDone }: { st: LoadedStack; onDone: () => void }) {
  const [channel, setChannel] = useState(1);
  const [kind, setKind] = useState<'shift' | 'affine'>('shift');
  const [tx, setTx] = useState(0);
  const [ty, setTy] = useState(0);
  const { anyInvalid, track } = useInvalidFields();
  const [six, setSix] = useState('1 0 0 0 1 0');
  const affine: number[] =
    kind === 'shift'
      ? [1, 0, tx, 0, 1, ty]
      : six
          .trim()
          .split(/[\s,;]+/)
          .filter(Boolean)
          .map(Number);
  const problem = affine6Problem(affine);
  return (
    <fieldset className="rg-form">
      <legend>Type a registration</legend>
      <label className="rg-field">
        <span>Channel</span>
        <select value={channel} onChange={(e) => setChannel(Number(e.target.value))}>
          {Array.from({ length: st.info.channels - 1 }, (_, i) => i + 1).map((c) => (
            <option key={c} value={c}>
              {c + 1} → 1
            </option>
          ))}
        </select>
      </label>
      <label className="rg-field">
        <span>Kind</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as 'shift' | 'affine')}>
          <option value="shift">translation</option>
          <option value="affine">affine (6 numbers)</option>
        </select>
      </label>
      {kind === 'shift' ? (
        <div className="rg-field" title="Added to channel positions to land on channel 1, nm">
          <span>Shift x, y (nm)</span>
          <span className="rg-pair">
            <NumberField
              compact
              live
              label="Shift x (nm)"
              unit="nm"
              hint="Added to the channel's x, nm"
              value={tx}
              schema={RegistrationShiftNmSchema}
              onCommit={(x) => typeof x === 'number' && setTx(x)}
              onValidity={track('tx')}
            />
            <NumberField
              compact
              live
              label="Shift y (nm)"
              unit="nm"
              hint="Added to the channel's y, nm"
              value={ty}
              schema={RegistrationShiftNmSchema}
              onCommit={(x) => typeof x === 'number' && setTy(x)}
              onValidity={track('ty')}
            />
          </span>
        </div>
      ) : (
        <label
          className="rg-field"
          title="a b c d e f with x' = a·x + b·y + c and y' = d·x + e·y + f, from channel coordinates to channel 1's (nm)"
        >
          <span>a b c d e f</span>
          <input aria-label="Affine coefficients" value={six} onChange={(e) => setSix(e.target.value)} />
        </label>
      )}
      {problem && <p className="rg-error">Refused: {problem}.</p>}
      <div className="rg-actions">
        <button
          type="button"
          className="primary"
          disabled={!!problem || (kind === 'shift' && anyInvalid)}
          onClick={() => {
            registrationStore.getState().setAffine(st.info.id, channel, affine as Affine6);
            onDone();
          }}
        >
          Set
        </button>
        <button type="button" onClick={onDone}>
          Close
        </button>
      </div>
    </fieldset>
  );
}

function ResidualPlot({ st, reg }: { st: LoadedStack; reg: ChannelRegistration }) {
  const theme = useUi((s) => s.theme);
  const px = effectiveMeta(st).pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm;
  const b = reg.beads!;
  const figure = useMemo(
    () =>
      registrationResidualFigure(
        {
          refX: b.refX,
          refY: b.refY,
          residualX: b.residualX,
          residualY: b.residualY,
          outlierRefX: b.outlierRefX,
          outlierRefY: b.outlierRefY,
        },
        theme,
        { widthNm: st.info.width * px, heightNm: st.info.height * px },
      ),
    [b, theme, st.info.width, st.info.height, px],
  );
  return (
    <div className="rg-plot" data-testid="registration-plot">
      <Plot figure={figure} label={`Registration residuals, channel ${reg.channel + 1}`} />
    </div>
  );
}
