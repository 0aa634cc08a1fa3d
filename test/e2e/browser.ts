// Shared harness for browser tests: serves the built app (dist/, made by `npm run test:e2e`)
// and drives Debian's Chromium through playwright-core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserSession {
  url: string;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far: tests assert none slipped through. */
  errors: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * false: Chromium without WebGL, like VMs, remote desktops and GPU-blocklisted laptops (plots
   * must fall back to SVG). Headless Chromium otherwise has SwiftShader's software WebGL.
   */
  webgl?: boolean;
}

/** Flags that take WebGL away: `getContext('webgl')` returns null (checked by test/e2e/noWebgl). */
export const NO_WEBGL_ARGS = ['--disable-webgl', '--disable-webgl2', '--disable-3d-apis'];

export async function openApp(path = '/', options: OpenOptions = {}): Promise<BrowserSession> {
  const server: PreviewServer = await preview({ preview: { port: 0, strictPort: false }, logLevel: 'error' });
  const url = server.resolvedUrls!.local[0];
  const profile = mkdtempSync(join(tmpdir(), 'evscope-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.webgl === false ? NO_WEBGL_ARGS : []),
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Playwright's 30 s default for clicks and waits is too short on a loaded 2-core CI machine.
  page.setDefaultTimeout(120_000);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(new URL(path, url).href);
  return {
    url,
    context,
    page,
    errors,
    async close() {
      await context.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** openApp, then waits until the scripting API offers `api` (window.evscope is installed late). */
export async function openAppWithApi(
  path: string,
  api: string,
  options: OpenOptions = {},
): Promise<BrowserSession> {
  const app = await openApp(path, options);
  await app.page.waitForFunction(
    (name) => name in ((window as unknown as { evscope?: object }).evscope ?? {}),
    api,
  );
  return app;
}
