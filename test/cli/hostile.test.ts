// The hostile corpus through the real CLI: each case is written to a temp dir and `evscope` is
// spawned on it (bin/evscope.mjs, as a user runs it). Checked: the exit code, the message on
// stderr (warnings included: a damaged file never passes silently), what stdout says, that text
// from the file cannot drive the terminal, and the peak memory — a resource bound, < 1 GB, read
// from /usr/bin/time -v. No wall-clock assertions: the generous timeout is what catches a hang.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { filesOf, HOSTILE_CASES } from '../helpers/hostileCorpus';
import { repoRoot } from '../helpers/sharedData';
import { tempDir } from '../helpers/sources';

const tmp = tempDir('evscope-hostile-');
afterAll(() => tmp.remove());

const TIME = '/usr/bin/time';
const haveTime = existsSync(TIME);
if (!haveTime) console.warn(`hostile CLI test: ${TIME} is missing, peak memory is NOT checked`);

const GB = 1024 ** 3;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  maxRssBytes?: number;
}

function runCli(args: string[], cwd: string): Promise<Run> {
  const bin = join(repoRoot, 'bin', 'evscope.mjs');
  const [cmd, argv] = haveTime
    ? [TIME, ['-v', process.execPath, bin, ...args]]
    : [process.execPath, [bin, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, LC_ALL: 'C' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      // GNU time appends its report to stderr; split it off.
      const at = haveTime ? stderr.lastIndexOf('\tCommand being timed:') : -1;
      const report = at >= 0 ? stderr.slice(at) : '';
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
      const exit = /Exit status: (\d+)/.exec(report);
      resolve({
        code: exit ? Number(exit[1]) : code,
        stdout,
        stderr: at >= 0 ? stderr.slice(0, at) : stderr,
        maxRssBytes: rss ? Number(rss[1]) * 1024 : undefined,
      });
    });
  });
}

const peaks: string[] = [];
afterAll(() => console.log(`hostile CLI: exit code and peak RSS per case\n  ${peaks.join('\n  ')}`));

describe('hostile corpus through the CLI', () => {
  HOSTILE_CASES.forEach((c, k) => {
    test(`evscope ${c.cli.args[0]}: ${c.id} (${c.what})`, { timeout: 180_000 }, async () => {
      const files = await filesOf(c);
      const dir = join(tmp.dir, `case${k}`);
      mkdirSync(dir, { recursive: true });
      const paths = files.map((f) => tmp.file(join(`case${k}`, f.name), f.bytes));
      const out = join(dir, `out-${c.id}`);
      const args = c.cli.args.map((a) =>
        a === 'FILE' ? paths[0] : a.startsWith('OUT') ? `${out}${a.slice(3)}` : a,
      );
      const r = await runCli(args, dir);
      const e = c.cli.expect;
      expect(r.code, `exit code; stderr: ${r.stderr.slice(0, 500)}`).toBe(e.exit);
      if (e.stderr) expect(r.stderr).toMatch(e.stderr);
      if (e.stdout) expect(r.stdout).toMatch(e.stdout);
      if (e.exit !== 0) expect(r.stderr).toMatch(/^evscope [\w-]+: /m);
      for (const ch of e.notInOutput ?? []) {
        expect(
          r.stdout.includes(ch) || r.stderr.includes(ch),
          `raw U+${ch.charCodeAt(0).toString(16)} printed`,
        ).toBe(false);
      }
      // No stack traces for bad input: one clear message.
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
      if (r.maxRssBytes !== undefined) expect(r.maxRssBytes).toBeLessThan(GB);
      peaks.push(
        `${c.id} ${r.code} ${r.maxRssBytes === undefined ? '?' : Math.round(r.maxRssBytes / 2 ** 20)} MB`,
      );
    });
  });
});
