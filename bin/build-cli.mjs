#!/usr/bin/env node
// Prebuilds the CLI and its Node worker entries into dist-cli/ so `evscope` starts without
// compiling TypeScript (tsx costs ~1 s in the main thread and again in every worker thread).
// esbuild, not the Vite/Rolldown build: it is the bundler tsx already runs on, it bundles a
// Node ESM program in ~100 ms, and `packages: 'external'` keeps every npm dependency (h5wasm
// loads its .wasm relative to its own module) resolved from node_modules as before.
// Runs from npm's `prepare` (after `npm install` / `npm ci`); bin/evscope.mjs falls back to tsx
// whenever a source file is newer than this bundle.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--out DIR` (a folder directly inside the repository) is for the test that checks a fresh build.
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? join(root, process.argv[outArg + 1]) : join(root, 'dist-cli');
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Tells src/engine/nodeWorker.ts to start the prebuilt worker entries, not the .ts sources.
  define: { __EVSCOPE_CLI_BUNDLE__: 'true' },
};

// <out>/cli/ sits two levels below the repository root, like src/cli/, so paths the CLI
// derives from import.meta.url (package.json for the version) stay valid.
await Promise.all([
  build({ ...common, entryPoints: [join(root, 'src/cli/main.ts')], outfile: join(out, 'cli/main.mjs') }),
  build({
    ...common,
    entryPoints: [join(root, 'workers/localize.node-worker.ts')],
    outfile: join(out, 'workers/localize.node-worker.mjs'),
  }),
]);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'BUILT'), `${new Date().toISOString()}\n`);
