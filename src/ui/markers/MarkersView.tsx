// The centre's "EV markers" view: the figures that need room — composition ternary, count
// histograms, probe counts per subtype — and the EV table with CSV export. A click on any
// point or row selects the EV (its traces show on the right).

import { useMemo, useState } from 'react';
import { evTableCsv } from '../../core/ev/evTableCsv';
import type { ColumnArray } from '../../core/locs/table';
import type { MarkersResult } from '../../engine/markersService';
import { countHistogramFigure, probeBySubtypeFigure, ternaryFigure } from '../../plots/markers';
import { Plot } from '../../plots/Plot';
import { markersStore, useMarkers } from '../../state/markersStore';
import { useUi } from '../../state/uiStore';
import { downloadText } from '../download';
import { EvTable } from './EvTable';

const select = (p: { customdata?: unknown }) => {
  if (typeof p.customdata === 'number') void markersStore.getState().select(p.customdata);
};

/** The table with the current classification (thresholds or names may have changed since the run). */
export function classifiedTable(r: MarkersResult) {
  const c = r.classification;
  const columns: Record<string, ColumnArray> = { ...r.columns, subtype: c.subtype };
  for (const m of c.markerNames) columns[`${m} fraction`] = c.composition[m];
  if (c.probe) columns['probe count'] = c.probe;
  return { length: r.length, columns, subtypeNames: c.subtypeNames };
}

export function MarkersView() {
  const result = useMarkers((s) => s.result);
  const selected = useMarkers((s) => s.selected);
  const method = useMarkers((s) => s.params?.method ?? 'steps');
  const theme = useUi((s) => s.theme);
  const [kind, setKind] = useState<'box' | 'violin'>('box');

  const ternary = useMemo(() => {
    if (!result) return null;
    const c = result.classification;
    return ternaryFigure(
      {
        markerNames: c.markerNames,
        composition: c.composition,
        subtype: c.subtype,
        subtypeNames: c.subtypeNames,
        ids: result.columns.id,
        selected,
      },
      theme,
    );
  }, [result, selected, theme]);
  const hist = useMemo(
    () =>
      result &&
      countHistogramFigure(
        {
          channels: result.channels
            .filter((ch) => result.columns[`${ch.name} ${method}`])
            .map((ch) => ({ name: ch.name, counts: result.columns[`${ch.name} ${method}`] })),
        },
        theme,
      ),
    [result, method, theme],
  );
  const probe = useMemo(() => {
    if (!result?.classification.probe) return null;
    const c = result.classification;
    return probeBySubtypeFigure(
      {
        probe: c.probe!,
        subtype: c.subtype,
        subtypeNames: c.subtypeNames,
        probeName: result.channels.find((ch) => ch.role === 'probe')?.name ?? 'probe',
      },
      kind,
      theme,
    );
  }, [result, kind, theme]);

  if (!result)
    return (
      <div className="mk-view mk-empty">
        <p className="muted">
          Run “Count markers” in the EV markers step: the composition, count and probe plots appear here.
        </p>
      </div>
    );
  const exportCsv = () => {
    downloadText('evs.csv', evTableCsv(classifiedTable(result)));
  };
  return (
    <div className="mk-view" data-testid="markers-view">
      <div className="mk-grid">
        <figure className="mk-card">
          <figcaption>Composition {result.classification.markerNames.join(' : ')}</figcaption>
          {ternary ? (
            <Plot
              figure={ternary}
              label="Marker composition (ternary)"
              className="mk-plot"
              onClickPoint={select}
            />
          ) : (
            <p className="muted mk-note">The ternary plot needs exactly three marker channels.</p>
          )}
        </figure>
        <figure className="mk-card">
          <figcaption>
            Molecules per EV ({method === 'steps' ? 'bleaching steps' : 'intensity ratio'})
          </figcaption>
          {hist && <Plot figure={hist} label="Count histograms" className="mk-plot" />}
        </figure>
        {probe && (
          <figure className="mk-card">
            <figcaption>
              Probe per subtype{' '}
              <select
                aria-label="Probe plot kind"
                value={kind}
                onChange={(e) => setKind(e.target.value as 'box' | 'violin')}
              >
                <option value="box">box</option>
                <option value="violin">violin</option>
              </select>
            </figcaption>
            <Plot figure={probe} label="Probe counts per subtype" className="mk-plot" onClickPoint={select} />
          </figure>
        )}
      </div>
      <div className="mk-table-head">
        <strong>EVs</strong>
        <span className="muted num">{result.length} rows · click a row to select</span>
        <span className="spacer" />
        <button type="button" className="btn small" onClick={exportCsv} data-testid="markers-csv">
          Export CSV
        </button>
      </div>
      <EvTable
        result={result}
        method={method}
        selected={selected}
        onSelect={(row) => void markersStore.getState().select(row)}
      />
    </div>
  );
}
