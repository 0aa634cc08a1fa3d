#!/usr/bin/env node
// The CLI shares src/core with the browser. `npm install` prebuilds it into dist-cli/
// (bin/build-cli.mjs) so a call starts at once; while any source file is newer than that
// bundle (someone is editing), tsx compiles the TypeScript on the fly instead.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist-cli', 'cli', 'main.mjs');

function newestMtimeMs(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function bundleIsCurrent() {
  if (process.env.EVSCOPE_CLI_FROM_SOURCE === '1' || !existsSync(bundle)) return false;
  const built = statSync(join(root, 'dist-cli', 'BUILT')).mtimeMs;
  return ['src', 'workers', 'package.json'].every((p) => {
    const full = join(root, p);
    return (statSync(full).isDirectory() ? newestMtimeMs(full) : statSync(full).mtimeMs) <= built;
  });
}

let main;
if (bundleIsCurrent()) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
