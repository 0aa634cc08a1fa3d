// The EV table: one row per EV, virtualised (only the visible rows are in the DOM, so thousands
// of EVs scroll smoothly), sortable by any column, a click selects the EV.
import { useMemo, useState } from 'react';
import type { CountMethod } from '../../core/ev/classify';
import { formatCount } from '../../core/ev/format';
import type { MarkersResult } from '../../engine/markersService';

const ROW_H = 22;
const OVERSCAN = 8;

interface Col {
  key: string;
  label: string;
  title: string;
  value(e: number): number;
  text(e: number): string;
}

export function evTableColumns(r: MarkersResult, method: CountMethod): Col[] {
  const c = r.columns;
  const num = (k: string) => (e: number) => Number(c[k]?.[e] ?? Number.NaN);
  const cols: Col[] = [
    { key: 'id', label: 'EV', title: 'EV id', value: num('id'), text: (e) => String(c.id[e]) },
    {
      key: 'x',
      label: 'x µm',
      title: 'Position, µm from the image’s left edge',
      value: num('x'),
      text: (e) => (c.x[e] / 1000).toFixed(2),
    },
    {
      key: 'y',
      label: 'y µm',
      title: 'Position, µm from the image’s top edge',
      value: num('y'),
      text: (e) => (c.y[e] / 1000).toFixed(2),
    },
  ];
  const how = {
    steps: 'bleaching steps',
    ratio: 'initial intensity ÷ unit',
    locs: 'localizations (bursts ÷ bursts per molecule)',
  }[method];
  for (const ch of r.channels) {
    const k = `${ch.name} ${method}`;
    cols.push({
      key: k,
      label: ch.name,
      title: `${ch.name}${ch.role === 'probe' ? ' (probe)' : ''}: molecules from ${how} ± 1 sd`,
      value: num(k),
      text: (e) => formatCount(Number(c[k]?.[e] ?? Number.NaN), Number(c[`${k} sd`]?.[e] ?? Number.NaN)),
    });
  }
  const dis = r.channels.map((ch) => c[`${ch.name} disagree`]);
  cols.push({
    key: 'disagree',
    label: '⚠',
    title: 'Steps and intensity ratio disagree beyond their uncertainties in these channels',
    value: (e) => dis.reduce((s, d) => s + Number(d[e]), 0),
    text: (e) =>
      r.channels
        .filter((_, i) => dis[i][e])
        .map((ch) => ch.name)
        .join(' '),
  });
  const sub = r.classification.subtype;
  cols.push({
    key: 'subtype',
    label: 'subtype',
    title: 'Markers present (count ≥ threshold)',
    value: (e) => sub[e],
    text: (e) => (sub[e] >= 0 ? r.classification.subtypeNames[sub[e]] : 'unclassified'),
  });
  return cols;
}

interface Props {
  result: MarkersResult;
  method: CountMethod;
  selected: number | null;
  onSelect(row: number): void;
  height?: number;
}

export function EvTable({ result, method, selected, onSelect, height = 260 }: Props) {
  const cols = useMemo(() => evTableColumns(result, method), [result, method]);
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 }>({ key: 'id', dir: 1 });
  const [scroll, setScroll] = useState(0);
  const order = useMemo(() => {
    const col = cols.find((c) => c.key === sort.key) ?? cols[0];
    const idx = Array.from({ length: result.length }, (_, i) => i);
    const v = idx.map((e) => col.value(e));
    // NaN last whatever the direction: missing counts are not small counts.
    idx.sort((a, b) => {
      const va = v[a];
      const vb = v[b];
      if (Number.isNaN(va)) return Number.isNaN(vb) ? a - b : 1;
      if (Number.isNaN(vb)) return -1;
      return (va - vb) * sort.dir || a - b;
    });
    return idx;
  }, [cols, sort, result.length]);
  const first = Math.max(0, Math.floor(scroll / ROW_H) - OVERSCAN);
  const last = Math.min(order.length, Math.ceil((scroll + height) / ROW_H) + OVERSCAN);

  return (
    <div
      className="mk-table"
      style={{ height }}
      data-testid="ev-table"
      onScroll={(e) => setScroll(e.currentTarget.scrollTop)}
    >
      <table aria-label="EVs" aria-rowcount={result.length + 1}>
        <thead>
          <tr>
            {cols.map((c) => (
              <th
                key={c.key}
                scope="col"
                aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
              >
                <button
                  type="button"
                  title={`${c.title} — click to sort`}
                  onClick={() =>
                    setSort((s) => ({ key: c.key, dir: s.key === c.key ? (-s.dir as 1 | -1) : 1 }))
                  }
                >
                  {c.label}
                  {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr className="mk-spacer" style={{ height: first * ROW_H }} />}
          {order.slice(first, last).map((e, k) => (
            <tr
              key={e}
              aria-rowindex={first + k + 2}
              aria-selected={e === selected}
              className={e === selected ? 'selected' : ''}
              style={{ height: ROW_H }}
              onClick={() => onSelect(e)}
              onKeyDown={(ev) => {
                if (ev.key === 'Enter' || ev.key === ' ') onSelect(e);
              }}
              tabIndex={-1}
            >
              {cols.map((c) => (
                <td key={c.key} className={c.key === 'subtype' || c.key === 'disagree' ? '' : 'num'}>
                  {c.text(e)}
                </td>
              ))}
            </tr>
          ))}
          {last < order.length && (
            <tr className="mk-spacer" style={{ height: (order.length - last) * ROW_H }} />
          )}
        </tbody>
      </table>
    </div>
  );
}
