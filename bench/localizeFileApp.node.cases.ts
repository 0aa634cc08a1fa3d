// `localize-file-app`: the whole product path of `localize-file` — the built app (dist/, from
// `npx vite build`) in headless Chromium, the TIFF file chosen through its file input (a
// disk-backed File, as a drop gives), the Localize step on screen with its live table and
// histograms, Run timed in the page from the click to the run's end — beside the CLI's code path
// in this process on the same file, 2 workers each. Prints both and the ratio app ÷ CLI.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { openFileByteSource } from '../src/cli/nodeByteSource';
import { readFrameBlock } from '../src/core/stack/frameBlock';
import { openStack } from '../src/core/stack/open';
import { localizeRun } from '../src/engine/localizeRun';
import { localizeNodeWorkerFactory } from '../src/engine/nodeWorker';
import { WorkerPool } from '../src/engine/workerPool';
import type { LocalizeApi } from '../workers/localize.api';
import { FILE_LAYOUTS, FILE_PARAMS, FILE_W, fileFrames, fileStack } from './localizeFile.cases';
import type { BenchCase, Figures } from './types';

type Api = Record<string, (...a: unknown[]) => unknown>;

async function cliPathMs(pool: WorkerPool<LocalizeApi>, path: string, end?: number): Promise<number> {
  const t0 = performance.now();
  const src = await openFileByteSource(path);
  try {
    const stack = await openStack([src]);
    await localizeRun({
      source: {
        width: stack.width,
        height: stack.height,
        frameCount: stack.frameCount,
        readFrame: (i, signal) => stack.readFrame(i, { signal }),
        readFrames: (i, n, signal) => readFrameBlock(stack, i, n, { signal }),
      },
      params: FILE_PARAMS,
      pool,
      frames: end === undefined ? undefined : { start: 0, end },
    });
    return performance.now() - t0;
  } finally {
    await src.close();
  }
}

export const localizeFileAppNodeCases: BenchCase[] = [
  {
    name: 'localize-file-app',
    where: ['node'],
    async run(log) {
      if (!existsSync('dist/index.html')) throw new Error('build the app first: npx vite build');
      const frames = fileFrames();
      const dir = mkdtempSync(join(tmpdir(), 'evscope-bench-app-'));
      const server = await preview({ preview: { port: 0, strictPort: false }, logLevel: 'error' });
      const profile = mkdtempSync(join(tmpdir(), 'evscope-bench-chromium-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        viewport: { width: 1280, height: 800 },
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      });
      const pool = new WorkerPool<LocalizeApi>(localizeNodeWorkerFactory<LocalizeApi>(), { size: 2 });
      const out: Figures = {};
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        page.setDefaultTimeout(240_000);
        await page.goto(server.resolvedUrls!.local[0]);
        await page.waitForFunction(() => 'evscope' in window);
        let warm = false;
        for (const kind of ['uniform', 'dense'] as const) {
          const stack = fileStack(kind, frames);
          for (const [layout, make] of FILE_LAYOUTS) {
            const name = `${kind}-${layout}.tif`;
            const path = join(dir, name);
            await writeFile(path, make(stack, FILE_W, FILE_W));
            if (!warm) await cliPathMs(pool, path, Math.min(64, frames));
            warm = true;
            const cli = await cliPathMs(pool, path);
            await page.locator('[data-step=data]').click();
            await page.setInputFiles('[data-testid=open-input]', path);
            await page
              .getByTestId('frame-count')
              .filter({ hasText: `/ ${frames}` })
              .waitFor();
            await page.locator('[data-step=localize]').click();
            const r = await page.evaluate(async () => {
              const api = (window as unknown as { evscope: Api }).evscope;
              api.setCamera({ kind: 'ccd', pixelNm: 100, offset: 100, gain: 1 });
              api.setLocalizeParams({ sigmaNm: 130 });
              // The preview and the run workers start when the step shows: let them.
              await new Promise((res) => setTimeout(res, 3000));
              const t0 = performance.now();
              const o = (await api.runLocalization()) as { count: number; status: string };
              return { ms: performance.now() - t0, ...o };
            });
            if (r.status !== 'done') throw new Error(`${name}: the run ended ${r.status}`);
            out[`${kind} ${layout} app fps`] = (frames / r.ms) * 1000;
            out[`${kind} ${layout} app ms`] = r.ms;
            out[`${kind} ${layout} cli-path ms`] = cli;
            out[`${kind} ${layout} app ÷ cli-path`] = r.ms / cli;
            out[`${kind} ${layout} locs`] = r.count;
            log(`  ${name}: app ${r.ms.toFixed(0)} ms, CLI path ${cli.toFixed(0)} ms, ${r.count} locs`);
          }
        }
      } finally {
        pool.terminate();
        await context.close();
        await new Promise<void>((res) => server.httpServer.close(() => res()));
        rmSync(profile, { recursive: true, force: true });
        rmSync(dir, { recursive: true, force: true });
      }
      return out;
    },
  },
];
