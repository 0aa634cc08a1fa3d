// Provenance summary (right): where the session comes from, its inputs with fingerprints, how
// each stack was made, every step's parameters and the result tables. Everything from a file is
// shown as text (React escapes it), never as HTML.
import { useEffect } from 'react';
import type { Json, RecipeJson, Session } from '../../core/session/index';
import { captureNow } from '../../state/sessionActions';
import { useSession } from '../../state/sessionStore';
import { formatBytes, formatTime } from './format';

function describeRecipe(r: RecipeJson, s: Session): string {
  switch (r.kind) {
    case 'files':
      return r.inputs.map((id) => s.inputs.find((i) => i.id === id)?.name ?? id).join(' + ');
    case 'channels':
      return `channels: ${r.parts.map((p) => describeRecipe(p, s)).join(' | ')}`;
    case 'dualView':
      return `dual-view ${r.layout} of ${describeRecipe(r.base, s)}`;
    case 'simulated': {
      const p = r.params as { preset?: string; frames?: number; seed?: number };
      return `simulated ${p.preset ?? ''} (${p.frames ?? '?'} frames, seed ${p.seed ?? '?'})`;
    }
  }
}

const STEP_NAMES: Record<string, string> = {
  localize: 'Localize (fit parameters of the run)',
  localizeSettings: 'Localize (panel settings)',
  localizeRun: 'Localization run',
  post: 'Post-process steps',
  movie: 'Movie',
  markers: 'EV markers',
};

function compact(j: Json): string {
  return JSON.stringify(j, null, 1).replace(/\n\s*/g, ' ');
}

/** " (label)" for a table of an input that was not on screen (ids `o<k>.…`, see sessionCapture). */
function otherLabel(doc: Session, tableId: string): string {
  const k = /^o(\d+)\./.exec(tableId);
  const label = k ? doc.others?.[Number(k[1]) - 1]?.label : undefined;
  return label ? ` (${label})` : '';
}

export function SessionResults() {
  const doc = useSession((s) => s.doc);
  const mode = useSession((s) => s.mode);
  const source = useSession((s) => s.sourceName);
  useEffect(() => {
    if (mode === 'edit') void captureNow();
  }, [mode]);
  if (!doc)
    return (
      <section className="section">
        <h2>Provenance</h2>
        <p className="muted">Collecting the session…</p>
      </section>
    );
  return (
    <section className="section" data-testid="provenance">
      <h2>Provenance</h2>
      <dl className="meta-grid">
        <dt>App</dt>
        <dd>
          {doc.app.name} {doc.app.version}
        </dd>
        <dt>Created</dt>
        <dd>{formatTime(doc.created)}</dd>
        <dt>Modified</dt>
        <dd>{formatTime(doc.modified)}</dd>
        {source && (
          <>
            <dt>File</dt>
            <dd>{source}</dd>
          </>
        )}
        {doc.title && (
          <>
            <dt>Title</dt>
            <dd>{doc.title}</dd>
          </>
        )}
      </dl>
      <h2 style={{ marginTop: 10 }}>Inputs</h2>
      {doc.inputs.length === 0 ? (
        <p className="muted" style={{ fontSize: 12 }}>
          No raw files (simulated data is re-created from its parameters).
        </p>
      ) : (
        <table className="prov-table" data-testid="prov-inputs">
          <thead>
            <tr>
              <th>File</th>
              <th>Size</th>
              <th>Fingerprint</th>
            </tr>
          </thead>
          <tbody>
            {doc.inputs.map((i) => (
              <tr key={i.id}>
                <td>{i.name}</td>
                <td className="num">{formatBytes(i.size)}</td>
                <td className="num">{i.fingerprint ?? 'not computed'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 style={{ marginTop: 10 }}>Stacks</h2>
      <table className="prov-table">
        <tbody>
          {doc.stacks.map((s) => (
            <tr key={s.id}>
              <td>
                <b>{s.label}</b>
                <br />
                {describeRecipe(s.recipe, doc)}
                {s.width ? ` · ${s.width}×${s.height} px × ${s.frameCount} frames` : ''}
                {Object.keys(s.meta).length ? ` · corrected: ${compact(s.meta)}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 style={{ marginTop: 10 }}>Parameters</h2>
      {Object.entries(doc.steps).map(([k, v]) => (
        <details key={k} open={k === 'localize' || k === 'post'}>
          <summary style={{ fontSize: 12 }}>{STEP_NAMES[k] ?? k}</summary>
          <pre className="prov-params">{compact(v)}</pre>
        </details>
      ))}
      {doc.others?.map((x) => (
        <details key={`${x.stack ?? 'table'}:${x.label}`}>
          <summary style={{ fontSize: 12 }}>Parameters and results of {x.label}</summary>
          <pre className="prov-params">{compact(x.steps)}</pre>
        </details>
      ))}
      <h2 style={{ marginTop: 10 }}>Result tables</h2>
      {doc.tables.length === 0 ? (
        <p className="muted" style={{ fontSize: 12 }}>
          None yet.
        </p>
      ) : (
        <table className="prov-table" data-testid="prov-tables">
          <tbody>
            {doc.tables.map((t) => (
              <tr key={t.id}>
                <td className="nowrap">
                  {t.name}
                  {otherLabel(doc, t.id)}
                </td>
                <td className="num">{t.rows.toLocaleString('en-US')} rows</td>
                <td>{t.columns.map((c) => c.name).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
