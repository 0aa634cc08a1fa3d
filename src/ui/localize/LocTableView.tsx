// The localization table: only the visible rows are in the DOM, so it scrolls ten million rows
// as easily as a hundred (virtualRows.ts maps the scroll bar past the browsers' height cap). Click a header to sort (ascending, descending, off); type a filter
// expression on any column (e.g. `photons > 500 && precision < 20`). Sorting and filtering run
// in a worker for large tables; frames show 1-based, as in ThunderSTORM's CSV.

import { useEffect, useMemo, useRef, useState } from 'react';
import { LOCALIZER_COLUMNS } from '../../core/localize/builder';
import { validateFilter } from '../../core/locs/filterExpr';
import type { LocTable } from '../../core/locs/table';
import { locsCsv, queryLocs } from '../../engine/locsQuery';
import { activeStack, dataStore } from '../../state/dataStore';
import { locsTable, useLocs } from '../../state/locsStore';
import { uiStore } from '../../state/uiStore';
import { downloadText } from '../download';
import { formatCount } from './runState';
import { LIVE_REDRAW_MS, useThrottled } from './useThrottled';
import { rowWindow } from './virtualRows';

const ROW_H = 20;
const OVERSCAN = 8;

const DIGITS: Record<string, number> = { x: 1, y: 1, sigma: 1, photons: 0, bg: 1, precision: 2, logL: 1 };

function unitOf(name: string): string {
  const spec = (LOCALIZER_COLUMNS as Record<string, { unit: string; description: string }>)[name];
  return spec?.unit ?? '';
}

function describeColumn(name: string): string {
  const spec = (LOCALIZER_COLUMNS as Record<string, { unit: string; description: string }>)[name];
  return spec ? spec.description.replace('0-based', '1-based here') : name;
}

function cell(name: string, v: number): string {
  if (name === 'frame') return String(v + 1);
  if (!Number.isFinite(v)) return '—';
  const d = DIGITS[name];
  return d === undefined ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v.toFixed(d);
}

interface Sort {
  column: string;
  descending: boolean;
}

export function LocTableView() {
  const liveVersion = useLocs((s) => s.version);
  const running = useLocs((s) => s.status === 'running');
  const liveCount = useLocs((s) => s.count);
  // Streaming chunks redraw once a second; a finished (or replaced) table shows at once.
  const throttled = useThrottled(liveVersion, LIVE_REDRAW_MS);
  const version = running ? throttled : liveVersion;
  const table: LocTable = useMemo(() => {
    void version;
    return locsTable();
  }, [version]);
  // Before the first chunk the table has no columns: show the localizer's, so the header is there.
  const columns = table.length > 0 ? Object.keys(table.columns) : Object.keys(LOCALIZER_COLUMNS);
  const [sort, setSort] = useState<Sort | null>(null);
  const [filterText, setFilterText] = useState('');
  const [filter, setFilter] = useState('');
  // Row indices of the last query and the table length they were computed on.
  const [query, setQuery] = useState<{ rows: Uint32Array; length: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(300);
  const scroller = useRef<HTMLDivElement>(null);
  const filterError = filterText.trim() ? validateFilter(filterText, columns) : null;

  // Apply a valid filter shortly after typing stops.
  useEffect(() => {
    if (filterError) return;
    const t = setTimeout(() => setFilter(filterText.trim()), 300);
    return () => clearTimeout(t);
  }, [filterText, filterError]);

  useEffect(() => {
    // A run just started (no rows, no columns yet) or a column went away: nothing to query.
    const sortable = !sort || sort.column in table.columns;
    if ((!sort && !filter) || table.length === 0 || !sortable) {
      setQuery(null);
      setBusy(false);
      return;
    }
    let live = true;
    setBusy(true);
    queryLocs(table, { filter, sortBy: sort?.column ?? null, descending: sort?.descending ?? false }).then(
      (r) => {
        if (!live) return;
        setQuery({ rows: r, length: table.length });
        setBusy(false);
      },
      (e) => {
        if (!live) return;
        setBusy(false);
        setQuery(null);
        uiStore
          .getState()
          .notify('error', 'The table query failed', e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      live = false;
    };
  }, [table, sort, filter]);

  useEffect(() => {
    const el = scroller.current!;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // While a run streams, the table only grows: the last query's rows stay valid (and keep the
  // sort on screen) until the new query arrives. A shorter table is a new run: drop them.
  const rows = query && query.length <= table.length && (sort || filter) ? query.rows : null;
  const count = rows ? rows.length : table.length;
  const win = rowWindow(scrollTop, height, count, ROW_H, OVERSCAN);
  const { first, last } = win;
  const visible: number[] = [];
  for (let i = first; i < last; i++) visible.push(rows ? rows[i] : i);

  const clickHeader = (c: string) =>
    setSort((s) =>
      !s || s.column !== c
        ? { column: c, descending: false }
        : !s.descending
          ? { column: c, descending: true }
          : null,
    );

  const exportCsv = async () => {
    setExporting(true);
    try {
      // The table as it is now, not as last drawn: the drawn one may lag a streaming run.
      const now = locsTable();
      const q = { filter, sortBy: sort?.column ?? null, descending: sort?.descending ?? false };
      const exported = (sort || filter) && now.length > 0 ? await queryLocs(now, q) : null;
      const text = await locsCsv(now, exported);
      const st = activeStack(dataStore.getState());
      downloadText(`${(st?.info.name ?? 'localizations').replace(/\.[^.]+$/, '')}_locs.csv`, text);
    } catch (e) {
      uiStore
        .getState()
        .notify(
          'error',
          'CSV export failed',
          e instanceof Error ? e.message : String(e),
          'Try again, or export fewer rows with a filter.',
        );
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="loc-table-block">
      <div className="row table-tools">
        <input
          type="text"
          className="filter-input num"
          placeholder="filter, e.g. photons > 500 && precision < 20"
          aria-label="Filter expression"
          title="Keep rows where the expression is true. Columns by name; + - * / < <= > >= == != && || ! in [a, b], abs(), sqrt()…"
          value={filterText}
          aria-invalid={filterError !== null}
          data-testid="loc-filter"
          onChange={(e) => setFilterText(e.target.value)}
        />
        <button
          type="button"
          className="btn small"
          disabled={liveCount === 0 || exporting}
          title="Save the rows shown (filtered, in this order) as a ThunderSTORM CSV"
          data-testid="loc-export-csv"
          onClick={() => void exportCsv()}
        >
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      {filterError && (
        <div className="filter-error" role="alert" data-testid="filter-error">
          <pre className="num">
            {filterText}
            {'\n'}
            {`${' '.repeat(filterError.position)}^`}
          </pre>
          {filterError.message}
        </div>
      )}
      <div className="muted small-text table-count" data-testid="loc-row-count" data-rows={count}>
        {formatCount(count)} {filter ? `of ${formatCount(table.length)} ` : ''}localizations
        {sort ? ` · sorted by ${sort.column} ${sort.descending ? '↓' : '↑'}` : ''}
        {busy ? ' · updating…' : ''}
      </div>
      <div className="loc-table">
        <div className="loc-row loc-head">
          {columns.map((c) => (
            <button
              type="button"
              key={c}
              className="loc-cell"
              title={`${describeColumn(c)} — click to sort`}
              aria-label={`Sort by ${c}${sort?.column === c ? (sort.descending ? ', now descending' : ', now ascending') : ''}`}
              data-col={c}
              onClick={() => clickHeader(c)}
            >
              {c}
              {unitOf(c) ? <small> [{unitOf(c)}]</small> : null}
              {sort?.column === c ? (sort.descending ? ' ↓' : ' ↑') : ''}
            </button>
          ))}
        </div>
        <section
          ref={scroller}
          className="loc-body"
          aria-label={`Localizations, ${count} rows; only the visible ones are drawn`}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it
          tabIndex={0}
          data-testid="loc-table-body"
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        >
          <div style={{ height: win.spacerPx, position: 'relative' }}>
            {visible.map((r, k) => (
              <div key={r} className="loc-row" style={{ transform: `translateY(${win.top(first + k)}px)` }}>
                {columns.map((c) => (
                  <span key={c} className="loc-cell num">
                    {cell(c, table.columns[c]?.[r] ?? Number.NaN)}
                  </span>
                ))}
              </div>
            ))}
          </div>
          {count === 0 && (
            <div className="muted small-text table-empty">
              {table.length === 0 ? 'No localizations yet: press Run.' : 'No row matches the filter.'}
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
