// Nothing overwritten, nothing lost: every verb that writes refuses an output that is one of its
// inputs (by name, through a symbolic link, or a hard link), checks the destination before
// working, and writes under a temporary name so a failure leaves the old file as it was.
import { chmodSync, linkSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { assertOutputNotInput, checkOutputs, streamOutputSafely } from '../../src/cli/safeOutput';
import { writeThunderstormCsv } from '../../src/core/io/thunderstormCsv';
import { simulateStructures } from '../core/locs/simulate';
import { goodTiff } from '../helpers/damagedTiffs';

const dir = mkdtempSync(path.join(tmpdir(), 'evscope-safe-'));
afterAll(() => {
  chmodSync(path.join(dir, 'locked'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});
const file = (n: string) => path.join(dir, n);

async function cli(args: string[]) {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = await main(args);
    return { code, err: error.mock.calls.map((c) => c.join(' ')).join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const tiff = goodTiff();
writeFileSync(file('stack.tif'), tiff);
const locsText = writeThunderstormCsv(
  simulateStructures({
    seed: 3,
    fovNm: 5000,
    molecules: 60,
    frames: 200,
    locsPerMolecule: 4,
    precisionNm: 10,
  }).table,
);
writeFileSync(file('locs.csv'), locsText);

describe('an output that is an input is refused, and the input is left as it was', () => {
  test.each([
    ['localize', ['localize', file('stack.tif'), '--out', file('stack.tif')], 'stack.tif'],
    ['merge', ['merge', file('locs.csv'), '--out', file('locs.csv')], 'locs.csv'],
    ['drift', ['drift', file('locs.csv'), '--out', file('locs.csv')], 'locs.csv'],
    [
      'drift --trace',
      ['drift', file('locs.csv'), '--out', file('d.csv'), '--trace', file('locs.csv')],
      'locs.csv',
    ],
    [
      'render --trace',
      ['render', file('locs.csv'), '--out', file('img.png'), '--trace', file('locs.csv')],
      'locs.csv',
    ],
    ['movie', ['movie', file('locs.csv'), '--out', file('locs.csv')], 'locs.csv'],
    ['track', ['track', file('stack.tif'), '--out', file('stack.tif')], 'stack.tif'],
    ['count', ['count', file('stack.tif'), '--channels', 'CD9', '--out', file('stack.tif')], 'stack.tif'],
    ['session pack', ['session', 'pack', file('locs.csv'), '--out', file('locs.csv')], 'locs.csv'],
    ['convert-locs', ['convert-locs', file('locs.csv'), '--out', file('locs.csv')], 'locs.csv'],
    ['convert', ['convert', file('stack.tif'), '--out', file('stack.tif')], 'stack.tif'],
  ])('%s', async (_name, args, input) => {
    const before = readFileSync(file(input));
    const r = await cli(args);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/is the input .*choose another output name/);
    expect(readFileSync(file(input)).equals(before)).toBe(true);
  });

  test('the same file under another name: a symbolic link, a hard link', async () => {
    symlinkSync(file('locs.csv'), file('alias.csv'));
    linkSync(file('locs.csv'), file('hard.csv'));
    for (const out of ['alias.csv', 'hard.csv']) {
      const r = await cli(['merge', file('locs.csv'), '--out', file(out)]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`the output ${file(out)} is the input ${file('locs.csv')}`);
    }
    expect(readFileSync(file('locs.csv'), 'utf8')).toBe(locsText);
  });

  test('two outputs naming one file are refused too', async () => {
    await expect(assertOutputNotInput([file('a.csv'), `${dir}/./a.csv`], [])).rejects.toThrow(
      /given as two different outputs/,
    );
  });
});

describe('the destination is checked before any work', () => {
  test('a missing folder, a read-only folder, a folder as the output', async () => {
    await expect(checkOutputs([file('nowhere/x.csv')], [])).rejects.toThrow(
      /folder .*nowhere does not exist/,
    );
    writeFileSync(file('locked.keep'), '');
    const locked = file('locked');
    await import('node:fs/promises').then((fs) => fs.mkdir(locked));
    chmodSync(locked, 0o555);
    // Root ignores permissions: the check is only meaningful for an ordinary user.
    if (process.getuid?.() !== 0)
      await expect(checkOutputs([path.join(locked, 'x.csv')], [])).rejects.toThrow(/is not writable/);
    await expect(checkOutputs([dir], [])).rejects.toThrow(/it is a folder/);
    // The localize verb says so before opening the stack or starting workers.
    const r = await cli(['localize', file('stack.tif'), '--out', file('nowhere/locs.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot write .*nowhere\/locs.csv: the folder .* does not exist/);
  });
});

describe('writes go to a temporary name and are renamed on success', () => {
  test('a write that fails leaves the previous file untouched and no partial file', async () => {
    writeFileSync(file('result.csv'), 'previous result\n');
    await expect(
      streamOutputSafely(file('result.csv'), async (fh) => {
        await fh.write('half of the new res');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readFileSync(file('result.csv'), 'utf8')).toBe('previous result\n');
    expect((await readdir(dir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  test('a verb that succeeds replaces the old output whole', async () => {
    writeFileSync(file('merged.csv'), 'stale\n');
    const r = await cli(['merge', file('locs.csv'), '--out', file('merged.csv')]);
    expect(r.code).toBe(0);
    expect(readFileSync(file('merged.csv'), 'utf8')).toMatch(/^"?id"?,|^"?frame"?/);
    expect((await readdir(dir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});
