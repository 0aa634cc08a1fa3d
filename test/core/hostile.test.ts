// The hostile corpus (test/helpers/hostileCorpus.ts) through the core readers, as the browser's
// workers call them: every case ends in its expected outcome — refused with its message, or read
// as the expected frames/rows with its warning, damaged frames refused one by one while the rest
// of the stack still reads. Memory and the CLI are checked in test/cli/hostile.test.ts.
import { describe, expect, test } from 'vitest';
import { readLocalizationFile } from '../../src/core/io/localizationFiles';
import { openSessionFile } from '../../src/core/session/file';
import { openStack } from '../../src/core/stack/open';
import { type Expected, filesOf, HOSTILE_CASES, type HostileFile } from '../helpers/hostileCorpus';
import { mem } from '../helpers/sources';

type Outcome =
  | { outcome: 'refused'; message: string }
  | { outcome: 'read'; warnings: string[]; frames?: number; rows?: number; badFrames?: Map<number, string> };

async function readStack(files: HostileFile[]): Promise<Outcome> {
  let s: Awaited<ReturnType<typeof openStack>>;
  try {
    s = await openStack(files.map((f) => mem(f.bytes, f.name)));
  } catch (e) {
    return { outcome: 'refused', message: (e as Error).message };
  }
  // Every frame, so that pixel damage anywhere is found; good frames must still read.
  const badFrames = new Map<number, string>();
  for (let i = 0; i < s.frameCount; i++) {
    for (let c = 0; c < s.channels; c++) {
      try {
        const px = await s.readFrame(i, { channel: c });
        expect(px.length).toBe(s.width * s.height);
      } catch (e) {
        badFrames.set(i + 1, (e as Error).message);
      }
    }
  }
  return { outcome: 'read', warnings: s.meta.warnings ?? [], frames: s.frameCount, badFrames };
}

async function readLocs(files: HostileFile[]): Promise<Outcome> {
  const [main, ...rest] = files;
  const yaml = rest.find((f) => /\.ya?ml$/.test(f.name));
  try {
    const r = await readLocalizationFile(main.name, main.bytes, {
      sidecarText: yaml ? new TextDecoder().decode(yaml.bytes) : null,
    });
    return { outcome: 'read', warnings: r.warnings, rows: r.table.length };
  } catch (e) {
    return { outcome: 'refused', message: (e as Error).message };
  }
}

function readSession(files: HostileFile[]): Outcome {
  const r = openSessionFile(files[0].bytes, { fileName: files[0].name });
  if (!r.ok) return { outcome: 'refused', message: r.errors.join('\n') };
  return { outcome: 'read', warnings: r.warnings, rows: r.tables[0]?.length };
}

function check(got: Outcome, want: Expected, name: string): void {
  if (want.outcome === 'refused') {
    expect(got.outcome, `${name} should be refused`).toBe('refused');
    if (got.outcome !== 'refused') return;
    expect(got.message).toMatch(want.message);
    // The message names the file it is about.
    expect(got.message).toContain(name);
    return;
  }
  expect(got.outcome, `${name}: ${got.outcome === 'refused' ? got.message : ''}`).toBe('read');
  if (got.outcome !== 'read') return;
  if (want.frames !== undefined) expect(got.frames).toBe(want.frames);
  if (want.rows !== undefined) expect(got.rows).toBe(want.rows);
  if (want.warning) expect(got.warnings.join('\n')).toMatch(want.warning);
  const bad = got.badFrames ?? new Map<number, string>();
  expect([...bad.keys()]).toEqual(want.badFrames?.frames ?? []);
  for (const m of bad.values()) expect(m).toMatch(want.badFrames!.message);
}

describe('hostile corpus through the core readers', () => {
  for (const c of HOSTILE_CASES) {
    test(`${c.id}: ${c.what}`, { timeout: 120_000 }, async () => {
      const files = await filesOf(c);
      // Every input stays below 10 MB, as the bound is stated for such files.
      expect(files[0].bytes.length).toBeLessThan(10 * 2 ** 20);
      const got =
        c.kind === 'stack'
          ? await readStack(files)
          : c.kind === 'locs'
            ? await readLocs(files)
            : readSession(files);
      check(got, c.expect, files[0].name);
    });
  }
});
