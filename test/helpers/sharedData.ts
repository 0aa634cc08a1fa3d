// Where the external samples live: `../shared/data` beside the checkout (CI, main checkout), or
// further up for git worktrees nested one level deeper; EVSCOPE_SHARED_DATA overrides both.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function find(): string | undefined {
  const env = process.env.EVSCOPE_SHARED_DATA;
  if (env) return existsSync(env) ? env : undefined;
  for (let dir = resolve(repoRoot, '..'), i = 0; i < 3; dir = resolve(dir, '..'), i++) {
    const candidate = join(dir, 'shared', 'data');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
  }
  return undefined;
}

/** The samples folder, or undefined (tests skip and say so). */
export const sharedDataDir = find();

// Tests that need the samples use test.skipIf / describe.skipIf, so vitest counts them as
// skipped; this line says why in every file that imports the helper.
if (!sharedDataDir)
  console.warn(`shared/data not found beside ${repoRoot}: tests reading external samples are skipped`);
