// What the file says about itself, with the values analysis depends on editable.
import { useEffect, useState } from 'react';
import type { CameraKind } from '../../core/camera/camera';
import {
  activeStack,
  effectiveCameraKind,
  effectiveMeta,
  type LoadedStack,
  useData,
} from '../../state/dataStore';
import { type FieldSpec, META_FIELDS, parseField } from './validate';

function fileValue(st: LoadedStack, key: FieldSpec['key']): number | undefined {
  const m = st.info.meta;
  switch (key) {
    case 'pixelSizeNm':
      return m.pixelSizeNm;
    case 'frameIntervalMs':
      return m.frameIntervalMs;
    default:
      return m.camera?.[key];
  }
}

function MetaField({ st, spec }: { st: LoadedStack; spec: FieldSpec }) {
  const setOverride = useData((s) => s.setOverride);
  const current = effectiveMeta(st)[spec.key];
  const [text, setText] = useState(current === undefined ? '' : String(current));
  const [reason, setReason] = useState<string | null>(null);
  const id = `meta-${spec.key}`;
  // Another stack selected, or the value changed elsewhere: show it.
  useEffect(() => {
    setText(current === undefined ? '' : String(current));
    setReason(null);
  }, [current]);
  const fromFile = fileValue(st, spec.key);
  const commit = () => {
    const p = parseField(spec, text);
    if (!p.ok) {
      setReason(p.reason);
      return;
    }
    setReason(null);
    setOverride(st.info.id, spec.key, p.value === fromFile ? undefined : p.value);
  };
  return (
    <div className="field" title={spec.hint}>
      <label htmlFor={id}>{spec.label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        className="num"
        value={text}
        placeholder="unknown"
        aria-invalid={reason !== null}
        aria-describedby={reason ? `${id}-err` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const p = parseField(spec, e.target.value);
          setReason(p.ok ? null : p.reason);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setText(current === undefined ? '' : String(current));
            setReason(null);
          }
        }}
      />
      {reason ? (
        <span id={`${id}-err`} className="invalid" role="alert">
          {reason}
        </span>
      ) : fromFile !== undefined && current !== fromFile ? (
        <span className="from-file">File says {fromFile}; your value is used.</span>
      ) : null}
    </div>
  );
}

const CAMERA_KINDS: { value: CameraKind; label: string }[] = [
  { value: 'ccd', label: 'CCD' },
  { value: 'emccd', label: 'EMCCD' },
  { value: 'scmos', label: 'sCMOS' },
];

/** The camera type decides the noise model (EM excess noise, sCMOS per-pixel maps). */
function CameraKindField({ st }: { st: LoadedStack }) {
  const setOverride = useData((s) => s.setOverride);
  const fromFile = st.info.meta.camera?.kind;
  const kind = effectiveCameraKind(st);
  return (
    <div
      className="field"
      title="Camera type: EMCCD adds excess noise; sCMOS pixels each have their own offset, gain and read noise (calibration maps are loaded in the Localize step)"
    >
      <label htmlFor="meta-cameraKind">Camera</label>
      <select
        id="meta-cameraKind"
        value={kind}
        onChange={(e) => {
          const v = e.target.value as CameraKind;
          setOverride(st.info.id, 'cameraKind', v === (fromFile ?? 'ccd') ? undefined : v);
        }}
      >
        {CAMERA_KINDS.map((k) => (
          <option key={k.value} value={k.value}>
            {k.label}
            {k.value === fromFile ? ' (file)' : ''}
          </option>
        ))}
      </select>
      {fromFile === undefined && st.overrides.cameraKind === undefined ? (
        <span className="from-file">The file does not say; CCD is assumed.</span>
      ) : fromFile !== undefined && kind !== fromFile ? (
        <span className="from-file">File says {fromFile.toUpperCase()}; your choice is used.</span>
      ) : null}
    </div>
  );
}

export function MetadataPanel() {
  const st = useData(activeStack);
  if (!st) {
    return (
      <section className="section">
        <h2>Metadata</h2>
        <p className="muted" style={{ margin: 0, fontSize: 12 }}>
          File facts, pixel size and camera settings appear here once a stack is open.
        </p>
      </section>
    );
  }
  const { info } = st;
  const m = info.meta;
  const cam = m.camera?.kind;
  return (
    <section className="section" aria-labelledby="meta-title">
      <h2 id="meta-title">Metadata</h2>
      <dl className="meta-grid">
        {info.files.length > 0 ? (
          <>
            <dt>File{info.files.length > 1 ? 's' : ''}</dt>
            <dd>{info.files.join(', ')}</dd>
          </>
        ) : null}
        <dt>Format</dt>
        <dd>{m.simulated && m.flavour !== 'simulated' ? `${m.flavour} (simulated)` : m.flavour}</dd>
        <dt>Size</dt>
        <dd className="num">
          {info.width} × {info.height} px
        </dd>
        <dt>Frames</dt>
        <dd className="num">{info.frameCount}</dd>
        <dt>Channels</dt>
        <dd>
          {info.channels}
          {m.channelNames ? ` (${m.channelNames.join(', ')})` : ''}
        </dd>
        <dt>Pixel type</dt>
        <dd>{info.dtype}</dd>
        <dt>Byte order</dt>
        <dd>{m.byteOrder}-endian</dd>
        {cam && (
          <>
            <dt>Camera</dt>
            <dd>{cam.toUpperCase()}</dd>
          </>
        )}
        {Object.entries(m.extra ?? {}).map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{k}</dt>
            <dd>{String(v)}</dd>
          </div>
        ))}
      </dl>
      <div key={info.id} style={{ marginTop: 8 }}>
        <CameraKindField st={st} />
        {META_FIELDS.map((spec) => (
          <MetaField key={spec.key} st={st} spec={spec} />
        ))}
      </div>
    </section>
  );
}
