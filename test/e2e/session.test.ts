// Sessions end to end: analyse the demo, save the session file, open it in a fresh browser
// profile and find the same localizations, plot data, reconstruction pixels and movie frame;
// reload mid-analysis and find the autosaved state; a hostile file changes nothing.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeTiff16 } from '../helpers/tiff';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => unknown>;
// Page functions cannot close over test code: `api()` is defined in the page itself.
declare const api: () => Api;
const defineApi = () => {
  (window as unknown as { api: () => unknown }).api = () => (window as unknown as { evscope: Api }).evscope;
};
async function prepare(s: BrowserSession) {
  await s.context.addInitScript(defineApi);
  await s.page.evaluate(defineApi);
  await s.page.waitForFunction(() => 'evscope' in window);
}

let a: BrowserSession;
beforeAll(async () => {
  a = await openApp();
  await prepare(a);
});
afterAll(async () => {
  await a?.close();
});

async function demoReady(s: BrowserSession) {
  await s.page.getByTestId('frame-count').filter({ hasText: '/ 2500' }).waitFor({ timeout: 120_000 });
}

/** Hash of the reconstruction canvas once it has drawn the expected number of localizations. */
async function reconHash(s: BrowserSession, rows: number): Promise<string> {
  const { page } = s;
  await dismissNotices(s);
  await page.locator('[data-step=post]').click();
  await page.getByRole('tab', { name: 'Reconstruction' }).click();
  await page
    .getByTestId('post-count-out')
    .filter({ hasText: rows.toLocaleString('en-US') })
    .waitFor();
  let last = '';
  // Redraws settle: the same hash twice in a row, 300 ms apart.
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(300);
    const h = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid=recon-canvas]')!;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let h = 2166136261;
      let lit = 0;
      for (let k = 0; k < d.length; k++) {
        h = Math.imul(h ^ d[k], 16777619);
        if ((k & 3) === 0 && d[k] > 0) lit++;
      }
      return `${c.width}x${c.height}:${(h >>> 0).toString(16)}:${lit}`;
    });
    if (h === last && !h.endsWith(':0')) return h;
    last = h;
  }
  return last;
}

async function dismissNotices(s: BrowserSession) {
  // One at a time from the top: the list shifts as notices close (information ones time out too).
  const close = s.page.locator('.notices .close-x');
  for (let i = 0; i < 20 && (await close.count()) > 0; i++)
    await close
      .first()
      .click({ timeout: 2000 })
      .catch(() => {});
}

async function histogramData(s: BrowserSession): Promise<string> {
  const { page } = s;
  await page.locator('[data-step=localize]').click();
  await page.locator('[data-testid=loc-histograms] .main-svg').first().waitFor();
  await page.waitForTimeout(500);
  return page.evaluate(() =>
    JSON.stringify(
      [...document.querySelectorAll('[data-testid=loc-histograms] .js-plotly-plot')].map((el) =>
        ((el as unknown as { data: { x?: unknown; y?: unknown }[] }).data ?? []).map((t) => [t.x, t.y]),
      ),
    ),
  );
}

test('a saved session opens in a fresh profile with the same results, pixels and movie frame', async () => {
  const { page } = a;
  await demoReady(a);
  const count = (await page.evaluate(async () => {
    api().setLocalizeParams({ channel: 0, firstFrame: 1, lastFrame: 300 });
    const r = (await api().runLocalization()) as { count: number };
    await api().postProcess([{ kind: 'filter', expression: 'photons > 200' }]);
    return r.count;
  })) as number;
  expect(count).toBeGreaterThan(100);
  const rowsOut = (await page.evaluate(
    async () =>
      ((await api().postProcess([{ kind: 'filter', expression: 'photons > 200' }])) as { rowsOut: number })
        .rowsOut,
  )) as number;
  expect(rowsOut).toBeLessThan(count);
  const movie = (await page.evaluate(() => api().buildMovie({ window: 100, step: 100, renderPxNm: 40 }))) as {
    frames: number;
  };
  expect(movie.frames).toBeGreaterThan(1);
  const frame1 = await page.evaluate(() => api().movieFrame(1));
  const structures = (await page.evaluate(() => api().binarizeMovie({ method: 'otsu' }))) as {
    threshold: number;
    structures: number;
  };
  expect(structures.structures).toBeGreaterThan(0);
  const hash = await reconHash(a, rowsOut);
  expect(hash).toMatch(/:[1-9]\d*$/);
  const hist = await histogramData(a);
  await page.locator('[data-step=session]').click();
  await page.getByTestId('session-notes').fill('demo, PALM channel, frames 1–300 <b>not bold</b>');
  await page.locator('#session-name').fill('demo analysis');
  const download = page.waitForEvent('download');
  // Ctrl+S saves the session file (from a text field too), instead of the browser saving the page.
  await page.keyboard.press('Control+s');
  const file = await (await download).path();
  const bytes = readFileSync(file);
  console.log(`session file: ${bytes.length} bytes for ${count} localizations`);
  expect(bytes.subarray(0, 2).toString()).toBe('PK');

  const b = await openApp();
  try {
    await prepare(b);
    await demoReady(b);
    await b.page.locator('[data-step=session]').click();
    await b.page
      .getByTestId('open-session-input')
      .setInputFiles({ name: 'demo-analysis.smlm', mimeType: 'application/zip', buffer: bytes });
    await b.page.getByTestId('review-badge').waitFor();
    await b.page.getByTestId('provenance').filter({ hasText: 'demo-analysis.smlm' }).waitFor();
    await b.page.screenshot({ path: '/tmp/evscope-session-provenance.png' });
    await b.page.waitForFunction((n) => (api().runStatus() as { count: number }).count === n, count);
    const summary = (await b.page.evaluate(() => api().sessionSummary())) as {
      mode: string;
      steps: Record<string, unknown>;
    };
    expect(summary.mode).toBe('review');
    expect(summary.steps.post).toEqual([{ kind: 'filter', expression: 'photons > 200' }]);
    expect(await b.page.getByTestId('session-notes').inputValue()).toContain('<b>not bold</b>');
    expect(await b.page.locator('#session-name').inputValue()).toBe('demo analysis');
    await b.page.waitForFunction(
      () => (api().movieState() as { status: string }).status === 'ready',
      undefined,
      { timeout: 120_000 },
    );
    expect(await b.page.evaluate(() => api().movieFrame(1))).toEqual(frame1);
    // The structure analysis comes back from the file (not re-labelled), with the saved threshold.
    await b.page.waitForFunction(
      (t) => (api().movieState() as { threshold: number | null }).threshold === t,
      structures.threshold,
    );
    expect(await b.page.evaluate(() => api().movieState())).toMatchObject({
      structures: structures.structures,
      structuresFromSession: true,
    });
    const tables = (
      (await b.page.evaluate(() => api().sessionSummary())) as { tables: { kind: string; rows: number }[] }
    ).tables;
    expect(tables.find((t) => t.kind === 'structures')?.rows).toBe(structures.structures);
    expect(tables.find((t) => t.kind === 'localizations')?.rows).toBe(count);
    expect(await reconHash(b, rowsOut)).toBe(hash);
    expect(await histogramData(b)).toBe(hist);
    // Review mode: changing an analysis parameter forks an editable copy.
    await b.page.evaluate(() => api().setLocalizeParams({ thresholdFactor: 1.2 }));
    await b.page.waitForFunction(
      async () => ((await api().sessionSummary()) as { mode: string }).mode === 'edit',
    );
    await b.page.screenshot({ path: '/tmp/evscope-session-review.png' });
    expect(b.errors).toEqual([]);
  } finally {
    await b.close();
  }
  expect(a.errors).toEqual([]);
});

test('the Content-Security-Policy is in force: no inline scripts, no foreign connections', async () => {
  const r = await a.page.evaluate(async () => {
    // An injected inline script (what an XSS would add) must not run. (Playwright's own evaluate
    // bypasses CSP, so eval cannot be probed from here.)
    const el = document.createElement('script');
    el.textContent = 'window.__inlineRan = true';
    document.body.append(el);
    el.remove();
    const inlineRan = (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    let fetched = true;
    try {
      await fetch('https://example.org/');
    } catch {
      fetched = false;
    }
    return { inlineRan, fetched };
  });
  expect(r).toEqual({ inlineRan: false, fetched: false });
  // The refusals themselves are logged as errors (asynchronously): the only ones allowed here.
  await a.page.waitForTimeout(500);
  const csp = a.errors.filter((e) => /Content Security Policy/.test(e));
  expect(csp.length).toBeGreaterThan(0);
  a.errors.splice(0, a.errors.length, ...a.errors.filter((e) => !/Content Security Policy/.test(e)));
  expect(a.errors).toEqual([]);
});

test('a hostile session file gives a clear message and leaves the current session untouched', async () => {
  const { page } = a;
  const before = await page.evaluate(async () => ({
    count: (api().runStatus() as { count: number }).count,
    post: api().postSteps(),
    scripts: document.scripts.length,
  }));
  await page.locator('[data-step=session]').click();
  const name = '<img src=x onerror=alert(1)><script>alert(2)</script>.smlm';
  await page.getByTestId('open-session-input').setInputFiles({
    name,
    mimeType: 'application/zip',
    buffer: Buffer.from('PK\u0003\u0004 this is not a zip'),
  });
  const notice = page.locator('.notice').filter({ hasText: 'Could not open' }).last();
  await notice.waitFor();
  expect(await notice.textContent()).toContain('<script>');
  expect(await notice.textContent()).toMatch(/unchanged/);
  const after = await page.evaluate(async () => ({
    count: (api().runStatus() as { count: number }).count,
    post: api().postSteps(),
    scripts: document.scripts.length,
  }));
  expect(after).toEqual(before);
  expect(await page.locator('img[src=x]').count()).toBe(0);
  expect(a.errors).toEqual([]);
});

test('a reload mid-analysis brings the autosaved session back', async () => {
  const { page } = a;
  await page.evaluate(async () => {
    api().setLocalizeParams({ thresholdFactor: 1.3 });
    await api().postProcess([{ kind: 'filter', expression: 'photons > 250' }]);
  });
  await page.locator('[data-step=session]').click();
  await page.locator('#session-name').fill('mid-analysis');
  await page.getByTestId('session-notes').fill('reloaded on purpose');
  const before = (await page.evaluate(async () => {
    await api().flushAutosave();
    const s = (await api().sessionSummary()) as { title: string; created: string };
    return {
      count: (api().runStatus() as { count: number }).count,
      params: api().localizeParams(),
      post: api().postSteps(),
      title: s.title,
      created: s.created,
    };
  })) as { count: number };
  await page.getByTestId('session-status').locator('[data-state=saved]').waitFor();
  await page.reload();
  await page.waitForFunction(() => 'evscope' in window);
  await page.getByTestId('start-fresh').waitFor({ timeout: 120_000 });
  await page.waitForFunction((n) => (api().runStatus() as { count: number }).count === n, before.count);
  const after = await page.evaluate(async () => {
    const s = (await api().sessionSummary()) as { title: string; created: string };
    return {
      count: (api().runStatus() as { count: number }).count,
      params: api().localizeParams(),
      post: api().postSteps(),
      title: s.title,
      created: s.created,
    };
  });
  expect(after).toEqual(before);
  await page.locator('[data-step=session]').click();
  expect(await page.getByTestId('session-notes').inputValue()).toBe('reloaded on purpose');
  await page.screenshot({ path: '/tmp/evscope-session-restored.png' });
  expect(a.errors).toEqual([]);
});

test('opening a file for review while the last session is being restored ends in review, its notice shown, toolbars free', async () => {
  const { page } = a;
  const bytes = (await page.evaluate(async () =>
    Array.from((await api().sessionBytes()) as Uint8Array),
  )) as number[];
  await page.reload();
  await page.waitForFunction(() => 'evscope' in window);
  await page.locator('.centre').waitFor();
  // Dropped at once: the start-up restore of the autosaved session is still running.
  await drop(a, [{ name: 'for-review.smlm', bytes: Uint8Array.from(bytes) }]);
  // Once the restore has opened work, a dropped session asks before replacing it.
  const choice = page.getByTestId('choice');
  const badge = page.getByTestId('review-badge').first();
  await Promise.race([choice.waitFor({ timeout: 90_000 }), badge.waitFor({ timeout: 90_000 })]);
  if (await choice.isVisible())
    await page.evaluate(() =>
      [...document.querySelectorAll<HTMLButtonElement>('[data-testid=choice] button')]
        .find((b) => b.textContent === 'Replace workspace')
        ?.click(),
    );
  await badge.waitFor({ timeout: 90_000 });
  const opened = page.locator('.notice').filter({ hasText: 'Opened for-review.smlm for review' });
  await opened.waitFor({ timeout: 90_000 });
  expect(await opened.isVisible()).toBe(true);
  // The start-up notice does not claim the last session is back, and review mode sticks.
  await page.waitForTimeout(1500);
  expect(await page.locator('.notice').filter({ hasText: 'Restored your last session' }).count()).toBe(0);
  expect(((await page.evaluate(() => api().sessionSummary())) as { mode: string }).mode).toBe('review');
  expect(await page.getByTestId('review-badge').first().isVisible()).toBe(true);

  // A problem notice (stays until dismissed) next to the information one: the reconstruction
  // toolbar and the view tabs stay visible and clickable.
  await page.getByTestId('open-session-input').setInputFiles({
    name: 'broken.smlm',
    mimeType: 'application/zip',
    buffer: Buffer.from('PK\u0003\u0004 not a zip'),
  });
  await page.locator('.notice').filter({ hasText: 'Could not open broken.smlm' }).waitFor();
  await page.locator('[data-step=post]').click();
  await page.getByRole('tab', { name: 'Reconstruction' }).click();
  const toolbar = page.locator('.recon-toolbar');
  await toolbar.waitFor();
  const boxes = await page.evaluate(() => {
    const r = (el: Element) => el.getBoundingClientRect();
    const overlaps = (p: DOMRect, q: DOMRect) =>
      p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom;
    const notices = [...document.querySelectorAll('.notice')].map(r);
    const bars = [...document.querySelectorAll('[role=toolbar], [role=tablist], .app-header')].map(r);
    return { notices: notices.length, covered: notices.some((n) => bars.some((b) => overlaps(n, b))) };
  });
  expect(boxes.notices).toBeGreaterThanOrEqual(2);
  expect(boxes.covered).toBe(false);
  for (const b of await toolbar.locator('button:visible, select:visible').all())
    await b.click({ trial: true });
  await page.screenshot({ path: '/tmp/evscope-session-notices.png' });
  await dismissNotices(a);
  expect(a.errors).toEqual([]);
});

let rampSession: Buffer | null = null;

/** Drops files on the window as a user would (DragEvent with a DataTransfer). */
async function drop(s: BrowserSession, files: { name: string; bytes: Uint8Array }[]) {
  await s.page.evaluate(
    (fs) => {
      const dt = new DataTransfer();
      for (const f of fs) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
      const target = document.querySelector('.centre') ?? document.body;
      for (const type of ['dragenter', 'dragover', 'drop'])
        target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    files.map((f) => ({ name: f.name, bytes: [...f.bytes] as unknown as Uint8Array })),
  );
}

test('a session of a file opens without its raw data; the file dropped later re-attaches by fingerprint', async () => {
  const tiff = writeTiff16({ width: 32, height: 24, frames: 10 });
  const c = await openApp('/?demo=0');
  let bytes: Buffer;
  try {
    await prepare(c);
    await c.page.setInputFiles('[data-testid=open-input]', {
      name: 'ramp.tif',
      mimeType: 'image/tiff',
      buffer: Buffer.from(tiff),
    });
    await c.page.getByTestId('frame-count').filter({ hasText: '/ 10' }).waitFor();
    await c.page.evaluate(() => {
      api().appendLocalizations({
        frame: [0, 1, 2, 3],
        x: [100, 200, 300, 400],
        y: [50, 60, 70, 80],
        photons: [500, 600, 700, 800],
      });
      api().finishLocalizations();
    });
    await c.page.locator('[data-step=session]').click();
    await c.page.locator('#session-name').fill('ramp analysis');
    const download = c.page.waitForEvent('download');
    await c.page.getByTestId('save-session').click();
    const dl = await download;
    expect(dl.suggestedFilename()).toBe('ramp_analysis.smlm');
    bytes = readFileSync(await dl.path());
    expect(c.errors).toEqual([]);
  } finally {
    await c.close();
  }
  rampSession = bytes;
  const d = await openApp('/?demo=0');
  try {
    await prepare(d);
    await drop(d, [{ name: 'ramp analysis.smlm', bytes }]);
    await d.page.getByTestId('review-badge').waitFor();
    await d.page.getByTestId('session-missing').filter({ hasText: 'ramp.tif' }).waitFor();
    await d.page
      .getByTestId('prov-inputs')
      .filter({ hasText: /evfp1:[0-9a-f]{16}/ })
      .waitFor();
    expect(await d.page.evaluate(() => (api().runStatus() as { count: number }).count)).toBe(4);
    // Renamed on the reviewer's disk: recognised by content, not by name.
    await drop(d, [{ name: 'renamed copy.tif', bytes: tiff }]);
    await d.page.getByTestId('session-missing').waitFor({ state: 'detached' });
    await d.page.getByTestId('frame-count').filter({ hasText: '/ 10' }).waitFor();
    expect(await d.page.evaluate(() => (api().runStatus() as { count: number }).count)).toBe(4);
    expect(d.errors).toEqual([]);
  } finally {
    await d.close();
  }
});

test('a shared link applies its parameters and view; a bad link is refused with a notice', async () => {
  const link = {
    step: 'post',
    localize: { thresholdFactor: 1.4, lastFrame: 50 },
    post: [{ kind: 'filter', expression: 'photons > 400' }],
    binarize: {
      method: 'manual',
      sampleFrames: 10,
      manualThreshold: 0.02,
      smoothSigmaPx: 1,
      connectivity: 8,
    },
    stack: 'demo',
    results: ['localize', 'post'],
  };
  const e = await openApp(`/?demo=0#s=${encodeURIComponent(JSON.stringify(link))}`);
  try {
    await prepare(e);
    await e.page.waitForFunction(
      () => (api().localizeParams() as { thresholdFactor: number }).thresholdFactor === 1.4,
    );
    expect(await e.page.evaluate(() => api().postSteps())).toEqual(link.post);
    // The reviewer is told the link has no results and what to open, and the notice stays.
    const told = e.page.locator('.notice').filter({ hasText: 'This link carries parameters only' });
    await told.waitFor();
    expect(await told.textContent()).toContain(
      'open the session file, or open the stack "demo" and run Localize',
    );
    expect(await e.page.locator('[data-step=post]').getAttribute('aria-current')).toBeTruthy();
    await e.page.goto(
      `${e.url}?demo=0&again=1#s=${encodeURIComponent('{"step":"<script>alert(1)</script>"}')}`,
    );
    await e.page.locator('.notice').filter({ hasText: 'This link could not be applied' }).waitFor();
    expect(await e.page.locator('.notice').last().textContent()).toContain(
      'step: "<script>alert(1)</script>" is not one of "data"',
    );
    expect(e.errors).toEqual([]);
  } finally {
    await e.close();
  }
});

test("?session= opens a session file this site serves; another site's is refused", async () => {
  expect(rampSession).not.toBeNull();
  // The preview server serves dist/: put the file there for the duration of the test.
  const path = new URL('../../dist/e2e-linked.smlm', import.meta.url);
  writeFileSync(path, rampSession!);
  const f = await openApp('/?demo=0&session=/e2e-linked.smlm');
  try {
    await prepare(f);
    await f.page.getByTestId('review-badge').waitFor();
    await f.page.getByTestId('provenance').filter({ hasText: 'e2e-linked.smlm' }).waitFor();
    await f.page.getByTestId('session-missing').filter({ hasText: 'ramp.tif' }).waitFor();
    expect(await f.page.evaluate(() => (api().runStatus() as { count: number }).count)).toBe(4);
    await f.page.goto(`${f.url}?demo=0&session=${encodeURIComponent('https://example.org/x.smlm')}`);
    await f.page.locator('.notice').filter({ hasText: 'only fetched from this site' }).waitFor();
    expect(f.errors).toEqual([]);
  } finally {
    await f.close();
    rmSync(path, { force: true });
  }
});
