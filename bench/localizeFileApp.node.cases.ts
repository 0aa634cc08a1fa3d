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
import { COUNT_WORKER_MESSAGES, MainThreadProbe } from './mainThreadProbe';
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
        await page.addInitScript({ content: COUNT_WORKER_MESSAGES });
        // BENCH_PROFILE=1 also samples the main thread's JavaScript and prints its hottest functions.
        // BENCH_TIMELINE=1 prints when each thread was busy during the run, and the messages.
        const probe = await MainThreadProbe.open(
          page,
          !!process.env.BENCH_PROFILE,
          !!process.env.BENCH_TIMELINE,
        );
        await page.goto(server.resolvedUrls!.local[0]);
        await page.waitForFunction(() => 'evscope' in window);
        let warm = false;
        for (const kind of ['uniform', 'dense'] as const) {
          const stack = fileStack(kind, frames);
          for (const [layout, make] of FILE_LAYOUTS) {
            const name = `${kind}-${layout}.tif`;
            // BENCH_STACKS=uniform-imagej,… runs only those stacks.
            if (
              process.env.BENCH_STACKS &&
              !process.env.BENCH_STACKS.split(',').includes(`${kind}-${layout}`)
            )
              continue;
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
            await page.evaluate(() => {
              const api = (window as unknown as { evscope: Api }).evscope;
              api.setCamera({ kind: 'ccd', pixelNm: 100, offset: 100, gain: 1 });
              api.setLocalizeParams({ sigmaNm: 130 });
            });
            // The preview and the run workers start when the step shows: let them.
            await page.waitForTimeout(3000);
            await probe.start();
            const r = await page.evaluate(async () => {
              const api = (window as unknown as { evscope: Api }).evscope;
              performance.mark('bench-start');
              const t0 = performance.now();
              const o = (await api.runLocalization()) as { count: number; status: string };
              const ms = performance.now() - t0;
              performance.mark('bench-end');
              return { ms, ...o };
            });
            const main = await probe.stop();
            if (r.status !== 'done') throw new Error(`${name}: the run ended ${r.status}`);
            out[`${kind} ${layout} app fps`] = (frames / r.ms) * 1000;
            out[`${kind} ${layout} app ms`] = r.ms;
            out[`${kind} ${layout} cli-path ms`] = cli;
            out[`${kind} ${layout} app ÷ cli-path`] = r.ms / cli;
            out[`${kind} ${layout} locs`] = r.count;
            // CPU of the page's main thread (not wall time: load does not inflate it).
            out[`${kind} ${layout} main-thread CPU ms/frame`] = main.mainCpuMs / frames;
            out[`${kind} ${layout} worker CPU ms/frame`] = main.workerCpuMs / frames;
            out[`${kind} ${layout} main-thread task ms/frame`] = main.taskMs / frames;
            out[`${kind} ${layout} main-thread script ms/frame`] = main.scriptMs / frames;
            out[`${kind} ${layout} main-thread layout+style ms`] = main.layoutMs + main.styleMs;
            out[`${kind} ${layout} worker messages`] = main.messages;
            out[`${kind} ${layout} worker message MB`] = main.messageBytes / 1e6;
            log(
              `  ${name}: app ${r.ms.toFixed(0)} ms, CLI path ${cli.toFixed(0)} ms, ${r.count} locs; main thread ${main.mainCpuMs.toFixed(0)} ms CPU, workers ${main.workerCpuMs.toFixed(0)} ms CPU; main-thread tasks ${main.taskMs.toFixed(0)} ms (script ${main.scriptMs.toFixed(0)}, layout+style ${(main.layoutMs + main.styleMs).toFixed(0)}), ${main.messages} worker messages (${(main.messageBytes / 1e6).toFixed(2)} MB)`,
            );
            for (const h of main.hot) log(`    ${h.selfMs.toFixed(1).padStart(8)} ms  ${h.name}`);
            for (const l of main.timeline) log(`  ${l}`);
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
