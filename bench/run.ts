// `npm run bench [-- case1,case2] [--node-only|--browser-only]`: runs every case in Node and in
// headless Chromium (Debian's, via playwright-core) and prints the figures side by side.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { calciumNodeCases } from './calcium.node.cases';
import { cases as sharedCases } from './cases';
import { cliNodeCases } from './cli.node.cases';
import { demoNodeCases } from './demo.node.cases';
import { experimentNodeCases } from './experiment.node.cases';
import { hostileNodeCases } from './hostile.node.cases';
import { localizeFileNodeCases } from './localizeFile.node.cases';
import { localizeFileAppNodeCases } from './localizeFileApp.node.cases';
import { movieWriteNodeCases } from './movieWrite.node.cases';
import { multiNodeCases } from './multi.node.cases';
import { stackNodeCases } from './stack.node.cases';
import { structuresParallelNodeCases } from './structuresParallel.node.cases';
import type { BenchCase, Figures } from './types';

// Cases that need Node APIs run only here; bench/cases.ts is what the browser page imports.
const cases: BenchCase[] = [
  ...sharedCases,
  ...stackNodeCases,
  ...cliNodeCases,
  ...multiNodeCases,
  ...hostileNodeCases,
  ...localizeFileNodeCases,
  ...localizeFileAppNodeCases,
  ...movieWriteNodeCases,
  ...experimentNodeCases,
  ...calciumNodeCases,
  ...demoNodeCases,
  ...structuresParallelNodeCases,
];

const args = process.argv.slice(2);
const only = args.find((a) => !a.startsWith('--'))?.split(',');
const nodeOnly = args.includes('--node-only');
const browserOnly = args.includes('--browser-only');
const selected = cases.filter((c) => !only || only.includes(c.name));

function print(where: string, name: string, figures: Figures | undefined, error?: string) {
  if (error) {
    console.log(`[${where}] ${name}: FAILED ${error}`);
    return;
  }
  const parts = Object.entries(figures ?? {}).map(
    ([k, v]) => `${k}=${typeof v === 'number' ? +v.toPrecision(4) : v}`,
  );
  console.log(`[${where}] ${name}: ${parts.join('  ')}`);
}

/** Node figures of cases that ask for chromium ÷ node ratios. */
const nodeFigures = new Map<string, Figures>();

function printRatios(name: string, browser: Figures | undefined) {
  const pattern = selected.find((c) => c.name === name && c.ratioOf)?.ratioOf;
  const node = nodeFigures.get(name);
  if (!pattern || !node || !browser) return;
  const ratios: Figures = {};
  for (const [k, v] of Object.entries(browser))
    if (pattern.test(k) && typeof v === 'number' && typeof node[k] === 'number') ratios[k] = v / node[k];
  print('chromium÷node', name, ratios);
}

async function runNode() {
  for (const c of selected.filter((c) => c.where.includes('node'))) {
    try {
      const figures = await c.run((l) => console.log(`  ${l}`));
      if (c.ratioOf) nodeFigures.set(c.name, figures);
      print('node', c.name, figures);
    } catch (e) {
      print('node', c.name, undefined, String(e));
    }
  }
}

async function runBrowser() {
  const browserCases = selected.filter((c) => c.where.includes('browser'));
  if (!browserCases.length) return;
  const server = await createServer({ logLevel: 'error', server: { port: 0 } });
  await server.listen();
  const url = server.resolvedUrls!.local[0];
  const profile = mkdtempSync(join(tmpdir(), 'evscope-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => console.log(`  ${m.text()}`));
    // BENCH_FRAMES reaches the page as ?frames= (cases that honour it shorten their run).
    const frames = process.env.BENCH_FRAMES ? `&frames=${encodeURIComponent(process.env.BENCH_FRAMES)}` : '';
    // Vite transforms the page's modules on first request: minutes on a loaded machine.
    await page.goto(
      `${url}bench/browser/index.html?cases=${browserCases.map((c) => c.name).join(',')}${frames}`,
      { timeout: 5 * 60_000 },
    );
    // A module that fails to load in the page (e.g. one importing node:fs) would otherwise leave
    // the runner waiting for the full timeout.
    const failed = new Promise<never>((_, reject) => page.on('pageerror', (e) => reject(e)));
    await Promise.race([
      page.waitForFunction(() => window.__benchDone === true, null, { timeout: 15 * 60_000, polling: 500 }),
      failed,
    ]);
    const results = await page.evaluate(() => window.__benchResults ?? []);
    for (const r of results) {
      print('chromium', r.name, r.figures, r.error);
      printRatios(r.name, r.figures);
    }
  } finally {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

if (!browserOnly) await runNode();
if (!nodeOnly) await runBrowser();
