// What the file says about itself, with the values analysis depends on editable.
import type { CameraKind } from '../../core/camera/camera';
import {
  activeStack,
  effectiveCameraKind,
  effectiveMeta,
  type LoadedStack,
  useData,
} from '../../state/dataStore';
import { NumberField, SelectField } from '../forms/fields';
import { type FieldSpec, META_FIELDS } from './validate';

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
  const fromFile = fileValue(st, spec.key);
  return (
    <NumberField
      id={`meta-${spec.key}`}
      label={spec.label}
      hint={spec.hint}
      value={current}
      schema={spec.schema}
      placeholder="unknown"
      onCommit={(v) => setOverride(st.info.id, spec.key, v === fromFile ? undefined : v)}
      note={
        fromFile !== undefined && current !== fromFile ? (
          <span className="from-file">File says {fromFile}; your value is used.</span>
        ) : null
      }
    />
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
    <SelectField
      id="meta-cameraKind"
      label="Camera"
      hint="Camera type: EMCCD adds excess noise; sCMOS pixels each have their own offset, gain and read noise (calibration maps are loaded in the Localize step)"
      value={kind}
      options={CAMERA_KINDS.map((k) => ({
        ...k,
        label: k.value === fromFile ? `${k.label} (file)` : k.label,
      }))}
      onChange={(v) => setOverride(st.info.id, 'cameraKind', v === (fromFile ?? 'ccd') ? undefined : v)}
      note={
        fromFile === undefined && st.overrides.cameraKind === undefined ? (
          <span className="from-file">The file does not say; CCD is assumed.</span>
        ) : fromFile !== undefined && kind !== fromFile ? (
          <span className="from-file">File says {fromFile.toUpperCase()}; your choice is used.</span>
        ) : null
      }
    />
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
