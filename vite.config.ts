import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin, PreviewServer, ViteDevServer } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The page's CSP <meta> does not reach worker scripts: a worker's policy comes from its own
 * response's header. So every response carries the policy as a header (taken from index.html's
 * meta, the one place it is written; README shows it for static hosting). The dev server's
 * header also lets the React refresh preamble run — it is injected inline before the meta,
 * which still holds everything after it to the strict policy.
 */
function contentSecurityPolicy(): Plugin {
  const html = readFileSync(new URL('./index.html', import.meta.url), 'utf8');
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
  if (!meta) throw new Error('index.html has no Content-Security-Policy meta tag to serve as a header');
  const policy = `${meta[1]}; frame-ancestors 'none'`;
  const header = (value: string) => (server: ViteDevServer | PreviewServer) => {
    server.middlewares.use((_req, res, next) => {
      res.setHeader('Content-Security-Policy', value);
      next();
    });
  };
  return {
    name: 'evscope-csp-header',
    configureServer: header(policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")),
    configurePreviewServer: header(policy),
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  resolve: {
    alias: {
      'maplibre-gl/dist/maplibre-gl.css': fileURLToPath(
        new URL('./src/plots/empty/empty.css', import.meta.url),
      ),
    },
  },
  // plotly's custom bundle expects Node's `global`; the version labels sessions and the scripting API.
  define: {
    global: 'globalThis',
    __APP_VERSION__: JSON.stringify(
      JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version,
    ),
  },
  worker: { format: 'es' },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173 },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          environment: 'node',
          // Sized for a busy 2-core CI machine: fixtures built in hooks (simulated stacks, worker
          // pools) take several times longer there than on a quiet one.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // expect.poll's own default (1 s) is a wall-clock assertion in disguise.
          expect: { poll: { timeout: 60_000 } },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // Generous: on a loaded 2-core machine a streaming run takes minutes, not seconds.
          testTimeout: 300_000,
          hookTimeout: 180_000,
          // expect.poll's own default (1 s) is a wall-clock assertion in disguise: a page under
          // load takes longer to settle, never gets a different answer.
          expect: { poll: { timeout: 120_000 } },
          // One Chromium at a time: two in parallel are no faster on 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
