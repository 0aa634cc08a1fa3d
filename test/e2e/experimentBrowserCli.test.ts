// The browser batch and `evscope batch` + `aggregate` on the same files: the simulated
// two-condition experiment written by `evscope simulate --preset experiment`, dropped on the
// Experiment step with its EXPERIMENT.json (the browser's own demo is simulated in the tab, and
// Chromium's and Node's Math may differ in a last bit, so its CSVs are not byte-identical). Both
// must give each input the same summary — the same resume key (paramsHash) included — and the
// same cell-level table and test.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';
import type { ExperimentStats } from '../../src/core/experiment/cellStats';
import type { InputSummary } from '../../src/core/experiment/summary';
import { tempDir } from '../helpers/sources';
import { type BrowserSession, openAppWithApi } from './browser';

const tmp = tempDir('evscope-experiment-browser-cli-');
const d = (...p: string[]) => join(tmp.dir, ...p);
const METRIC = 'coloc.deltaFractionWithin';
let app: BrowserSession;

async function cli(args: string[]): Promise<void> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = await main(args);
    expect(code, `${args.join(' ')}: ${error.mock.calls.join('\n')}`).toBe(0);
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

function files(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(dir, p)).isFile() && p !== 'truth.json')
    .map((p) => ({
      path: relative(dir, join(dir, p)).replace(/\\/g, '/'),
      text: readFileSync(join(dir, p), 'utf8'),
    }));
}

function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const h = head.split(',').map((s) => s.replace(/"/g, ''));
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [h[i], v.replace(/"/g, '')])));
}

beforeAll(async () => {
  await cli(['simulate', '--preset', 'experiment', '--out', d('sim')]);
  await cli(['batch', d('sim', 'EXPERIMENT.json'), '--out', d('all'), '--threads', '1']);
  await cli(['aggregate', d('all'), '--out', d('agg'), '--metrics', METRIC]);
  app = await openAppWithApi('/?demo=0', 'addExperimentFiles');
}, 900_000);

afterAll(async () => {
  await app?.close();
  tmp.remove();
}, 60_000);

type Ev = Record<string, (...a: unknown[]) => unknown>;

test('the browser batch and evscope batch + aggregate agree input by input and cell by cell', async () => {
  const dropped = files(d('sim'));
  expect(dropped.map((f) => f.path)).toContain('EXPERIMENT.json');
  const out = (await app.page.evaluate(
    async ({ dropped, metric }) => {
      const ev = (window as unknown as { evscope: Ev }).evscope;
      // As a dropped folder: each file with its path relative to the folder.
      const list = dropped.map((f) => {
        const file = new File([f.text], f.path.split('/').pop()!, { type: 'text/csv' });
        Object.defineProperty(file, 'webkitRelativePath', { value: `sim/${f.path}` });
        return file;
      });
      ev.addExperimentFiles(list);
      for (let k = 0; k < 600; k++) {
        try {
          ev.setExperimentTested([metric]);
          const outcome = await ev.runExperiment();
          return { outcome, results: ev.experimentResults() };
        } catch (e) {
          // The EXPERIMENT.json is read asynchronously: until then there are no inputs.
          if (!/no inputs/.test(String(e))) throw e;
          await new Promise((res) => setTimeout(res, 100));
        }
      }
      throw new Error('the dropped experiment never appeared');
    },
    { dropped, metric: METRIC },
  )) as {
    outcome: { done: number; failed: number; notRun: number };
    results: { summaries: InputSummary[]; stats: ExperimentStats };
  };
  expect(out.outcome).toEqual({ done: 8, failed: 0, notRun: 0 });
  const browser = out.results.summaries;
  expect(browser.map((s) => s.id)).toEqual(readdirSync(d('all')).sort());
  for (const b of browser) {
    const c = JSON.parse(readFileSync(d('all', b.id, 'summary.json'), 'utf8')) as InputSummary;
    const { metrics: bm, ...bRest } = b;
    const { metrics: cm, ...cRest } = c;
    // Same files, steps and parameters: the same resume key, so either side's result stands for the other's.
    expect(bRest, b.id).toEqual(cRest);
    expect(Object.keys(bm).sort(), b.id).toEqual(Object.keys(cm).sort());
    for (const k of Object.keys(cm)) {
      const [x, y] = [bm[k], cm[k]];
      if (y === null || x === null) expect(x, `${b.id} ${k}`).toBe(y);
      else
        expect(Math.abs(x - y), `${b.id} ${k}: ${x} vs ${y}`).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(y)),
        );
    }
  }
  // The cell-level table: every metric of every cell (cells.csv keeps 7 significant digits).
  const rows = csvRows(d('agg', 'cells.csv'));
  const cells = out.results.stats.cells.flatMap((m) => m.values.map((v) => ({ metric: m.metric, ...v })));
  expect(cells.length).toBe(rows.length);
  cells.forEach((v, i) => {
    const r = rows[i];
    expect([v.metric, v.condition, v.cell, String(v.inputs)]).toEqual([
      r.metric,
      r.condition,
      r.cell,
      r.inputs,
    ]);
    if (v.value === null || !Number.isFinite(v.value)) expect(r.value, `${v.metric} ${v.cell}`).toBe('');
    else
      expect(Math.abs(v.value - Number(r.value)), `${v.metric} ${v.cell}`).toBeLessThanOrEqual(
        5e-7 * Math.abs(v.value),
      );
  });
  // And the test with the cell as the unit.
  const [t] = csvRows(d('agg', 'tests.csv'));
  const [c] = out.results.stats.comparisons;
  expect([c.metric, c.a, c.b]).toEqual([t.metric, t.a, t.b]);
  expect(c.difference).toBeCloseTo(Number(t.difference_a_minus_b), 6);
  expect(c.pPermutation).toBeCloseTo(Number(t.p_permutation), 6);
  expect(c.pWelch).toBeCloseTo(Number(t.p_welch), 6);
  expect(app.errors).toEqual([]);
}, 1_200_000);
