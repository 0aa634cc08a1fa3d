// The prebuilt CLI (bin/build-cli.mjs, run by npm's `prepare`) must behave exactly like the CLI
// run from the TypeScript sources, including its worker threads, which start from their own
// prebuilt entries. Built here into a scratch folder so the test checks the current sources.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { repoRoot } from '../helpers/sharedData';
import { tempDir } from '../helpers/sources';

const scratch = `.cli-test-${process.pid}`;
const tmp = tempDir('evscope-cli-bundle-');

/** Runs the CLI's `main` from the scratch bundle (what bin/evscope.mjs does with dist-cli/). */
function runBundled(args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, scratch, 'run.mjs'), ...args], {
    encoding: 'utf8',
    cwd: tmp.dir,
  });
}
function runFromSource(args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'bin', 'evscope.mjs'), ...args], {
    encoding: 'utf8',
    cwd: tmp.dir,
    env: { ...process.env, EVSCOPE_CLI_FROM_SOURCE: '1' },
  });
}

beforeAll(() => {
  const built = spawnSync(process.execPath, [join(repoRoot, 'bin', 'build-cli.mjs'), '--out', scratch], {
    encoding: 'utf8',
  });
  expect(built.status, built.stderr).toBe(0);
  writeFileSync(
    join(repoRoot, scratch, 'run.mjs'),
    "const { main } = await import('./cli/main.mjs');\nprocess.exitCode = await main(process.argv.slice(2));\n",
  );
  const sim = runFromSource([
    'simulate',
    '--preset',
    'isolated',
    '--out',
    'sim',
    '--frames',
    '12',
    '--size',
    '48x48',
    '--seed',
    '3',
  ]);
  expect(sim.status, sim.stderr).toBe(0);
});
afterAll(() => {
  rmSync(join(repoRoot, scratch), { recursive: true, force: true });
  tmp.remove();
});

test('the bundle says it is prebuilt and reads the version from package.json', () => {
  const r = runBundled(['--version']);
  expect(r.status).toBe(0);
  const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;
  expect(r.stdout.trim()).toBe(`evscope ${version} (prebuilt CLI)`);
  expect(runFromSource(['--version']).stdout).toContain('(CLI from source)');
});

test('localize on two worker threads writes the same table from the bundle as from source', () => {
  const args = (out: string) => ['localize', 'sim.tif', '--out', out, '--threads', '2', '--pixel-nm', '100'];
  const fromSource = runFromSource(args('source.csv'));
  expect(fromSource.status, fromSource.stderr).toBe(0);
  const bundled = runBundled(args('bundled.csv'));
  expect(bundled.status, bundled.stderr).toBe(0);
  const a = readFileSync(join(tmp.dir, 'source.csv'), 'utf8');
  const b = readFileSync(join(tmp.dir, 'bundled.csv'), 'utf8');
  expect(a.split('\n').length).toBeGreaterThan(50);
  expect(b).toBe(a);
});
