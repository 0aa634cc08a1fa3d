// Hostile input and the browser's fences, end to end: the CSP reaches the workers as a header (a
// worker cannot fetch from, nor import code from, another origin); a malformed ?session= link gets
// the notice every bad link gets; a small session asking to re-create a gigantic simulation is
// refused with the reason, changes nothing, and a reload brings back the user's work, not it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Worker } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SESSION_ENTRY, saveSessionFile } from '../../src/core/session/file';
import { demoSession, demoTables } from '../core/session/fixtures';
import { damagedCorpus } from '../helpers/damagedTiffs';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => unknown>;
declare const api: () => Api;
const defineApi = () => {
  (window as unknown as { api: () => unknown }).api = () => (window as unknown as { evscope: Api }).evscope;
};

/** Another origin that would answer anything, counting what reaches it. */
let other: Server;
let otherUrl = '';
const hits: string[] = [];
beforeAll(async () => {
  other = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Content-Type', 'text/javascript');
    res.end('export const stolen = 1;');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => other.close(() => resolve()));
});

async function someWorker(s: BrowserSession): Promise<Worker> {
  for (let i = 0; i < 600 && s.page.workers().length === 0; i++) await s.page.waitForTimeout(100);
  const w = s.page.workers()[0];
  if (!w) throw new Error('the app started no worker');
  return w;
}

test('the CSP header reaches worker scripts: a worker can neither fetch from nor import another origin', async () => {
  const s = await openApp();
  try {
    const w = await someWorker(s);
    const res = await fetch(w.url());
    const policy = res.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("script-src 'self'");
    const fetched = await w.evaluate(
      (u) =>
        fetch(`${u}/data`).then(
          () => 'fetched',
          (e) => `refused: ${e}`,
        ),
      otherUrl,
    );
    expect(fetched).toMatch(/^refused/);
    // import() is not covered by the workers' own fetch guard: only the header's script-src stops it.
    // (A string, so that vitest does not rewrite import() for Node.)
    const imported = await w.evaluate(
      `import(${JSON.stringify(`${otherUrl}/module.js`)}).then(() => 'imported', (e) => 'refused: ' + e)`,
    );
    expect(imported).toMatch(/^refused/);
    expect(hits).toEqual([]);
    // The page itself gets the header too (frame-ancestors works only there).
    const page = await fetch(s.url);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  } finally {
    await s.close();
  }
});

test('a malformed ?session= link shows the notice, with no uncaught error', async () => {
  const s = await openApp('/?session=%2Fx%25E0%25A4%25A.smlm');
  try {
    const notice = s.page.locator('.notice').filter({ hasText: 'Could not open' }).last();
    await notice.waitFor({ timeout: 60_000 });
    expect(await notice.textContent()).toContain('x%E0%A4%A.smlm');
    expect(s.errors.filter((e) => /URIError|URI malformed|Uncaught/i.test(e))).toEqual([]);
  } finally {
    await s.close();
  }
});

/** A valid session whose simulated stack asks for 4096² px × 1,000,000 frames. */
function hostileSession(): Uint8Array {
  const files = unzipSync(saveSessionFile(demoSession(), demoTables(50)));
  const doc = JSON.parse(strFromU8(files[SESSION_ENTRY]));
  const sim = doc.stacks.find((st: { recipe: { kind: string } }) => st.recipe.kind === 'simulated');
  Object.assign(sim.recipe.params, { width: 4096, height: 4096, frames: 1_000_000 });
  files[SESSION_ENTRY] = strToU8(JSON.stringify(doc));
  return zipSync(files);
}

test('a tiny session asking for a gigantic simulation is refused; the work stays, and comes back after a reload', async () => {
  const s = await openApp();
  try {
    await s.context.addInitScript(defineApi);
    await s.page.evaluate(defineApi);
    await s.page.waitForFunction(() => 'evscope' in window);
    await s.page.getByTestId('frame-count').filter({ hasText: '/ 2500' }).waitFor({ timeout: 60_000 });
    // The user's work: a parameter nobody else would choose, autosaved.
    await s.page.evaluate(async () => {
      api().setLocalizeParams({ thresholdFactor: 1.37 });
      await api().flushAutosave();
    });
    const bytes = hostileSession();
    expect(bytes.length).toBeLessThan(64_000);
    await s.page.locator('[data-step=session]').click();
    await s.page.getByTestId('open-session-input').setInputFiles({
      name: 'hostile.smlm',
      mimeType: 'application/zip',
      buffer: Buffer.from(bytes),
    });
    const notice = s.page.locator('.notice').filter({ hasText: 'Could not open hostile.smlm' }).last();
    await notice.waitFor({ timeout: 60_000 });
    expect(await notice.textContent()).toMatch(/simulation too large: 4096×4096 px × 1000000 frames/);
    const after = (await s.page.evaluate(() => api().localizeParams())) as { thresholdFactor: number };
    expect(after.thresholdFactor).toBe(1.37);
    expect(await s.page.getByTestId('frame-count').textContent()).toContain('/ 2500');

    await s.page.reload();
    await s.page.waitForFunction(() => 'evscope' in window);
    await s.page
      .locator('.notice')
      .filter({ hasText: 'Restored your last session' })
      .waitFor({ timeout: 60_000 });
    const restored = (await s.page.evaluate(() => api().localizeParams())) as { thresholdFactor: number };
    expect(restored.thresholdFactor).toBe(1.37);
    expect(s.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  } finally {
    await s.close();
  }
});

test('a stack with a damaged page: localization keeps the frames before it and warns, naming the frame', async () => {
  const s = await openApp('/?demo=0');
  try {
    await s.context.addInitScript(defineApi);
    await s.page.evaluate(defineApi);
    await s.page.waitForFunction(() => 'evscope' in window);
    const damaged = damagedCorpus().find((c) => c.expect.kind === 'prefix')!;
    const bad = (damaged.expect as { badFrame: number }).badFrame;
    const out = (await s.page.evaluate(async (bytes) => {
      const file = new File([new Uint8Array(bytes)], 'damaged.tif', { type: 'image/tiff' });
      await api().openFiles([file]);
      api().setLocalizeParams({ thresholdFactor: 1 });
      const run = (await api().runLocalization()) as { status: string; count: number };
      const frames = (api().localizations() as { columns: { frame: number[] } }).columns.frame;
      return { run, maxFrame: Math.max(...frames), frames: new Set(frames).size };
    }, Array.from(damaged.bytes))) as {
      run: { status: string; count: number };
      maxFrame: number;
      frames: number;
    };
    expect(out.run.status).toBe('failed');
    expect(out.run.count).toBeGreaterThan(0);
    // Frames are 0-based here: every frame before the bad one has spots, none after it is kept.
    expect(out.maxFrame).toBe(bad - 1);
    expect(out.frames).toBe(bad);
    const notice = s.page.locator('.notice').filter({ hasText: `stopped at frame ${bad + 1}` });
    await notice.waitFor({ timeout: 60_000 });
    expect(await notice.textContent()).toMatch(/are kept/);
    expect(s.errors).toEqual([]);
  } finally {
    await s.close();
  }
});
