// A TIFF file chosen in the app (the file input gives the page a disk-backed File, as a drop
// does) is localized by the browser's workers reading the File in blocks; the result must be the
// CLI's on the same file — same count, same coordinates — for an ImageJ stack and a plain
// multi-page TIFF.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { createLocalizeVerb } from '../../src/cli/verbs/localize';
import type { LocTable } from '../../src/core/locs/table';
import { Rng } from '../../src/core/random';
import { openStack } from '../../src/core/stack/open';
import { expectedImage, gridSpots, poissonImage } from '../helpers/spotImage';
import { writeTiffFixture } from '../helpers/tiffFixtures';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => unknown>;
interface Locs {
  length: number;
  columns: Record<string, number[]>;
}

const W = 96;
const FRAMES = 70;
const dir = mkdtempSync(join(tmpdir(), 'evscope-locfile-'));
let s: BrowserSession;

/** Seeded frames: a jittered grid of 1000-photon spots on 10 photons/px above a 100 ADU offset. */
function frames(seed: number): Uint16Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: FRAMES }, () =>
    Uint16Array.from(
      poissonImage(expectedImage(W, W, gridSpots(W, W, 12, 1000, rng), 1.3, 10), rng),
      (v) => v + 100,
    ),
  );
}

const FLAGS = ['--pixel-nm', '100', '--sigma-nm', '130', '--offset', '100', '--gain', '1', '--threads', '2'];

/** The CLI verb on the file (its real reader and worker threads), with the table it writes. */
async function cliTable(path: string): Promise<LocTable> {
  let written: LocTable | null = null;
  const verb = createLocalizeVerb({
    openStack,
    writeCsv: (t) => {
      written = t;
      return '';
    },
  });
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    expect(await verb.run([path, '--out', join(dir, 'out.csv'), ...FLAGS])).toBe(0);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return written!;
}

const files: { name: string; path: string; cli: LocTable }[] = [];

beforeAll(async () => {
  const layouts = [
    [
      'imagej.tif',
      { layout: 'imagej' as const, description: `ImageJ=1.54f\nimages=${FRAMES}\nframes=${FRAMES}\n` },
    ],
    ['multipage.tif', { layout: 'interleaved' as const }],
  ] as const;
  // Different frames in each file: a run on the wrong one cannot pass.
  for (const [k, [name, spec]] of layouts.entries()) {
    const path = join(dir, name);
    const f = frames(19 + k);
    writeFileSync(path, writeTiffFixture({ width: W, height: W, dtype: 'uint16', frames: f, ...spec }));
    files.push({ name, path, cli: await cliTable(path) });
  }
  s = await openApp();
  await s.page.waitForFunction(() => 'evscope' in window);
}, 300_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Rows sorted by frame, then x, then y: the same set of localizations compares equal. */
function rows(t: { length: number; columns: Record<string, ArrayLike<number>> }) {
  const { frame, x, y } = t.columns;
  return Array.from({ length: t.length }, (_, i) => [frame[i], x[i], y[i]]).sort(
    (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2],
  );
}

for (const which of ['imagej.tif', 'multipage.tif']) {
  test(`${which} chosen in the app localizes to the CLI's result on the same file`, async () => {
    const file = files.find((f) => f.name === which)!;
    await s.page.setInputFiles('[data-testid=open-input]', file.path);
    await s.page
      .getByRole('button', { name: new RegExp(`^${which.replace('.', '\\.')} `) })
      .waitFor({ timeout: 120_000 });
    await s.page
      .getByTestId('frame-count')
      .filter({ hasText: `/ ${FRAMES}` })
      .waitFor();
    const out = await s.page.evaluate(async () => {
      const api = (window as unknown as { evscope: Api }).evscope;
      api.setCamera({ kind: 'ccd', pixelNm: 100, offset: 100, gain: 1 });
      api.setLocalizeParams({ sigmaNm: 130 });
      const outcome = (await api.runLocalization()) as { status: string; count: number };
      return { outcome, locs: api.localizations() as Locs };
    });
    expect(out.outcome.status).toBe('done');
    const cli = file.cli;
    expect(cli.length).toBeGreaterThan(FRAMES * 40);
    expect(out.locs.length).toBe(cli.length);
    const got = rows(out.locs);
    const want = rows(cli);
    let worst = 0;
    for (let i = 0; i < want.length; i++) {
      expect(got[i][0]).toBe(want[i][0]);
      worst = Math.max(worst, Math.abs(got[i][1] - want[i][1]), Math.abs(got[i][2] - want[i][2]));
    }
    expect(worst).toBeLessThan(1e-6);
    expect(s.errors).toEqual([]);
  });
}
