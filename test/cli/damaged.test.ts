// The damaged-file corpus (test/helpers/damagedTiffs.ts, generated from a seed) through both ways
// a stack is localized: the CLI (frames read on the main thread, pixels sent to workers) and the
// browser path (each worker opens the file itself). Every case has its expected outcome: the
// frames before a damaged page are kept and the page is named, or the file is refused with a
// clear message and nothing is written. Each case runs under the test timeout, and the corpus
// must not grow the process by more than a bounded amount of memory.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { PARTIAL_EXIT } from '../../src/cli/verbs/localize';
import { readThunderstormCsv } from '../../src/core/io/thunderstormCsv';
import { concatLocTables, type LocTable } from '../../src/core/locs/table';
import { localizeRun } from '../../src/engine/localizeRun';
import { localizeNodeWorkerFactory } from '../../src/engine/nodeWorker';
import { WorkerPool } from '../../src/engine/workerPool';
import type { LocalizeApi } from '../../workers/localize.api';
import { damagedCorpus, FRAMES, goodTiff, H, OFFSET, W } from '../helpers/damagedTiffs';

const dir = mkdtempSync(path.join(tmpdir(), 'evscope-damaged-'));
const file = (n: string) => path.join(dir, n);
const corpus = damagedCorpus();
const params = { pixelSizeNm: 100, camera: { offsetAdu: OFFSET, electronsPerAdu: 1 } };
const cliParams = ['--offset', String(OFFSET), '--gain', '1', '--pixel-nm', '100', '--threads', '2'];

let pool: WorkerPool<LocalizeApi>;
let clean: LocTable;
const rss0 = process.memoryUsage().rss;

async function cli(args: string[]) {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = await main(args);
    return { code, err: error.mock.calls.map((c) => c.join(' ')).join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const readCsv = (p: string) => readThunderstormCsv(readFileSync(p, 'utf8'), { fileName: p }).table;

/** Rows of a table with frame < end, as (frame, x) pairs rounded to the CSV's precision. */
function rows(t: LocTable, end = Number.POSITIVE_INFINITY): string[] {
  const out: string[] = [];
  for (let i = 0; i < t.length; i++)
    if (t.columns.frame[i] < end) out.push(`${t.columns.frame[i]}:${t.columns.x[i].toFixed(2)}`);
  return out;
}

beforeAll(async () => {
  pool = new WorkerPool<LocalizeApi>(localizeNodeWorkerFactory<LocalizeApi>(), {
    size: 2,
    stallTimeoutMs: 60_000,
  });
  writeFileSync(file('good.tif'), goodTiff());
  const r = await cli(['localize', file('good.tif'), '--out', file('good.csv'), ...cliParams]);
  expect(r.code).toBe(0);
  clean = readCsv(file('good.csv'));
  // Every frame has spots, so a prefix is visible frame by frame.
  expect(new Set(clean.columns.frame).size).toBe(FRAMES);
}, 120_000);
afterAll(() => {
  pool?.terminate();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(corpus.map((c, k) => ({ ...c, k })))('$name', ({ bytes, expect: want, k }) => {
  const input = file(`case${k}.tif`);
  const out = file(`case${k}.csv`);

  test('CLI', async () => {
    writeFileSync(input, bytes);
    const r = await cli(['localize', input, '--out', out, ...cliParams]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    if (want.kind === 'prefix') {
      expect(r.code).toBe(PARTIAL_EXIT);
      expect(r.err).toContain(`frame ${want.badFrame + 1} could not be localized`);
      expect(r.err).toContain(`holds frames 1–${want.badFrame} only`);
      const got = readCsv(out);
      expect(rows(got)).toEqual(rows(clean, want.badFrame));
      expect(Math.max(...got.columns.frame)).toBe(want.badFrame - 1);
    } else {
      expect(r.code).toBe(1);
      expect(r.err).toMatch(want.message);
      expect(r.err).toContain(`case${k}.tif`);
      expect(existsSync(out)).toBe(false);
    }
  }, 60_000);

  test('browser path (the worker reads the file)', async () => {
    const chunks: LocTable[] = [];
    const run = localizeRun({
      source: {
        width: W,
        height: H,
        frameCount: FRAMES,
        recipe: { kind: 'files', files: [{ name: `case${k}.tif`, blob: new Blob([bytes as BlobPart]) }] },
        key: `case${k}`,
      },
      params,
      pool,
      chunkSize: 4,
      onChunk: (t) => chunks.push(t),
    });
    if (want.kind === 'refused') {
      await expect(run).rejects.toThrow(want.message);
      expect(chunks).toEqual([]);
      return;
    }
    const res = await run;
    expect(res.framesDone).toBe(want.badFrame);
    expect(res.failedFrame?.frame).toBe(want.badFrame);
    expect(rows(concatLocTables(chunks))).toEqual(rows(clean, want.badFrame));
  }, 60_000);
});

test('the whole corpus stays within a bounded amount of memory', () => {
  // Tiny stacks: a reader that believed a damaged header (gigabytes) would blow far past this.
  expect(process.memoryUsage().rss - rss0).toBeLessThan(768 * 2 ** 20);
});
