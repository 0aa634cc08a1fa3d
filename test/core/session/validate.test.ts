import { describe, expect, test } from 'vitest';
import {
  blobRangeReader,
  FINGERPRINT_PATTERN,
  fingerprintBytes,
  fingerprintFile,
  fingerprintRanges,
} from '../../../src/core/session/fingerprint';
import { migrateSession } from '../../../src/core/session/migrate';
import { createSession, matchInput, SESSION_VERSION } from '../../../src/core/session/model';
import { checkedJson, plainJson } from '../../../src/core/session/schema';
import { registerStepSchema, validateSession } from '../../../src/core/session/validate';
import { demoSession } from './fixtures';

function errorsOf(json: unknown): string[] {
  const r = validateSession(json);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors;
}

describe('validateSession', () => {
  test('accepts a created session and returns a fresh copy', () => {
    const s = demoSession();
    const r = validateSession(s);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.session).toEqual(s);
    expect(r.session).not.toBe(s);
    expect(r.session.steps).not.toBe(s.steps);
  });

  test('names every problem with its path', () => {
    const s = JSON.parse(JSON.stringify(demoSession()));
    s.inputs[0].size = -1;
    s.inputs[0].fingerprint = 'md5:abc';
    s.view.zoom = 0;
    s.view.frame = 1.5;
    s.stacks[0].recipe.inputs = ['nope'];
    s.extra = 1;
    const e = errorsOf(s);
    expect(e).toContain('inputs[0].size: -1 is below the minimum 0');
    expect(e.some((m) => m.startsWith('inputs[0].fingerprint: "md5:abc" is not an evfp1 fingerprint'))).toBe(
      true,
    );
    expect(e).toContain('view.zoom: 0 is below the minimum (exclusive) 0');
    expect(e).toContain('view.frame: expected an integer, got 1.5');
    expect(e).toContain('unknown field "extra"');
  });

  test('cross-references: recipe inputs, table sources, duplicate ids', () => {
    const s = JSON.parse(JSON.stringify(demoSession()));
    s.stacks[0].recipe.inputs = ['nope'];
    expect(errorsOf(s)).toContain('stacks[0].recipe: refers to unknown input "nope"');
    const t = JSON.parse(JSON.stringify(demoSession()));
    t.tables = [
      { id: 'a', name: '', kind: 'tracks', rows: 0, columns: [], source: 'zz' },
      { id: 'a', name: '', kind: 'tracks', rows: 0, columns: [] },
    ];
    const e = errorsOf(t);
    expect(e).toContain('tables: id "a" is used twice');
    expect(e).toContain('tables[0].source: unknown table "zz"');
  });

  test('step sections are checked by their feature parser', () => {
    const s = JSON.parse(JSON.stringify(demoSession()));
    s.steps.post = [{ kind: 'filter', expression: 'photons >' }];
    s.steps.localize = { pixelSizeNm: -5 };
    const e = errorsOf(s);
    expect(e).toContain(
      'steps.post: [0].expression: expected a number, column, function or "(", found end of expression (at position 10)',
    );
    expect(e).toContain('steps.localize: pixel size must be > 0 nm, got -5');
    registerStepSchema(
      'testonly',
      checkedJson(plainJson(), (j) => {
        if (typeof j !== 'number') throw new Error('must be a number');
      }),
    );
    s.steps = { testonly: 'x' };
    expect(errorsOf(s)).toEqual(['steps.testonly: must be a number']);
  });

  test('simulated recipes are checked by the simulator', () => {
    const s = JSON.parse(JSON.stringify(demoSession()));
    s.stacks[1].recipe.params.width = 3;
    expect(errorsOf(s).join('\n')).toMatch(
      /stacks\[1\]\.recipe\.params: simulation parameters: width must be an integer of 8–4096 px/,
    );
  });

  test('a simulation recipe too large to re-create is refused at parse time, with the sizes', () => {
    // The 7 KB session that asked for 4096² × 1,000,000 frames and took the tab to 11 GB.
    const s = JSON.parse(JSON.stringify(demoSession()));
    Object.assign(s.stacks[1].recipe.params, { width: 4096, height: 4096, frames: 1_000_000 });
    expect(JSON.stringify(s).length).toBeLessThan(20_000);
    const text = errorsOf(s).join('\n');
    expect(text).toMatch(/stacks\[1\]\.recipe\.params: simulation too large: 4096×4096 px × 1000000 frames/);
    expect(text).toMatch(/pixel-frames/);
    // Every limit is named; each alone is enough to refuse.
    const emitters = JSON.parse(JSON.stringify(demoSession()));
    const scene = emitters.stacks[1].recipe.params.scene;
    expect(['evsOnGlass', 'uptake']).toContain(scene.kind);
    scene.evCount = 500_000;
    expect(errorsOf(emitters).join()).toMatch(/500000 EVs is more than the 100000/);
    // The demo itself (what sessions normally carry) is well inside.
    expect(validateSession(JSON.parse(JSON.stringify(demoSession()))).ok).toBe(true);
  });

  test('hostile shapes: prototype keys, deep nesting, huge lists, non-JSON values', () => {
    const base = () => JSON.parse(JSON.stringify(demoSession()));
    const proto = base();
    proto.view.settings = JSON.parse('{"__proto__": {"polluted": 1}}');
    expect(errorsOf(proto)).toContain('view.settings: key "__proto__" is not allowed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const ctor = base();
    ctor.steps.movie = { constructor: { prototype: 1 } };
    expect(errorsOf(ctor).join()).toMatch(/key "constructor" is not allowed/);
    const deep = base();
    let d: unknown = 1;
    for (let i = 0; i < 10_000; i++) d = [d];
    deep.steps.movie = d;
    expect(errorsOf(deep).join()).toMatch(/nested deeper than 32 levels/);
    const many = base();
    many.inputs = new Array(100_000).fill(many.inputs[0]);
    expect(errorsOf(many)).toEqual(['inputs: list of 100000 items, more than the limit of 256']);
    const nan = base();
    nan.view.pan.x = Number.NaN;
    nan.steps.movie = { a: Number.POSITIVE_INFINITY };
    const e = errorsOf(nan);
    expect(e).toContain('view.pan.x: expected a finite number, got NaN');
    expect(e).toContain('steps.movie.a: expected a finite number, got Infinity');
    const fn = base();
    fn.view.settings = { f: () => 1 };
    expect(errorsOf(fn).join()).toMatch(/not JSON \(a function\)/);
    const ctl = base();
    ctl.inputs[0].name = 'a\u0000b';
    expect(errorsOf(ctl)).toContain('inputs[0].name: text contains control characters');
    // Text that looks like HTML is text: accepted unchanged.
    const html = base();
    html.inputs[0].name = '<img src=x onerror=alert(1)>.tif';
    const r = validateSession(html);
    expect(r.ok && r.session.inputs[0].name).toBe('<img src=x onerror=alert(1)>.tif');
  });

  test('caps the error report', () => {
    const s = JSON.parse(JSON.stringify(demoSession()));
    s.inputs = Array.from({ length: 200 }, () => ({
      id: '!',
      name: 1,
      size: 'x',
      fingerprint: 2,
      role: 'z',
    }));
    const e = errorsOf(s);
    expect(e.length).toBe(51);
    expect(e[50]).toMatch(/^… and \d+ more problems$/);
  });

  test('refuses non-sessions and newer versions clearly', () => {
    expect(errorsOf(null)).toEqual([
      'not an evscope session (no "format": "evscope-session" with a version)',
    ]);
    expect(errorsOf([1, 2])[0]).toMatch(/not an evscope session/);
    expect(errorsOf({ format: 'evscope-session', version: 99 })[0]).toContain(
      `newer evscope (version 99; this one reads up to ${SESSION_VERSION})`,
    );
  });
});

describe('migrateSession', () => {
  const v0 = {
    evscope: '0.0.9',
    savedAt: '2026-01-02T03:04:05.000Z',
    stack: { name: 'old.tif', size: 2048, fingerprint: 'evfp1:00000000000000ff' },
    params: { localize: { pixelSizeNm: 160 }, post: [{ kind: 'merge', radiusNm: 30, maxGapFrames: 2 }] },
    view: { frame: 7, zoom: 3 },
    notes: 'from v0',
  };

  test('lifts the version-0 shape to the current version, then validates it', () => {
    const frozen = JSON.stringify(v0);
    const m = migrateSession(v0);
    expect(m.ok && m.from).toBe(0);
    const r = validateSession(v0);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(JSON.stringify(v0)).toBe(frozen);
    expect(r.session.version).toBe(SESSION_VERSION);
    expect(r.session.inputs).toEqual([
      { id: 'in1', name: 'old.tif', size: 2048, fingerprint: 'evfp1:00000000000000ff', role: 'stack' },
    ]);
    expect(r.session.stacks[0].recipe).toEqual({ kind: 'files', inputs: ['in1'] });
    expect(r.session.steps.localize).toEqual({ pixelSizeNm: 160 });
    expect(r.session.view).toMatchObject({ frame: 7, zoom: 3 });
    expect(r.session.created).toBe('2026-01-02T03:04:05.000Z');
  });

  test('a version-1 document (one input’s results) opens as version 2 with nothing else changed', () => {
    const v2 = demoSession();
    const v1 = { ...JSON.parse(JSON.stringify(v2)), version: 1 };
    const r = validateSession(v1);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(migrateSession(v1)).toMatchObject({ ok: true, from: 1 });
    expect(r.session).toEqual(v2);
    expect(r.session.others).toBeUndefined();
  });

  test('other inputs’ results are checked like the steps and must name a stack of the session', () => {
    const s = JSON.parse(JSON.stringify(demoSession()));
    s.others = [{ label: 'table.csv', steps: { post: [{ kind: 'no-such-step' }] } }];
    expect(errorsOf(s).some((m) => m.startsWith('others[0].steps.post'))).toBe(true);
    s.others = [{ stack: 'nope', label: 'b.tif', steps: {} }];
    expect(errorsOf(s)).toContain('others[0].stack: unknown stack "nope"');
    s.others = [{ stack: s.stacks[0].id, label: 'b.tif', steps: { post: [] } }];
    expect(validateSession(s).ok).toBe(true);
  });

  test('a malformed version-0 document fails validation with paths, not a crash', () => {
    const e = errorsOf({ ...v0, stack: { name: 5 }, view: { frame: -1 } });
    expect(e).toContain('inputs[0].name: expected text, got 5');
    expect(e).toContain('view.frame: -1 is below the minimum 0');
  });
});

describe('fingerprints', () => {
  function bytesOf(n: number, seed: number): Uint8Array {
    const b = new Uint8Array(n);
    let s = seed;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      b[i] = s >>> 24;
    }
    return b;
  }

  test('stable value (same in every engine: pure 32-bit integer arithmetic)', () => {
    expect(fingerprintBytes(new Uint8Array(0))).toMatch(FINGERPRINT_PATTERN);
    expect(fingerprintBytes(new TextEncoder().encode('evscope'))).toBe(
      fingerprintBytes(new TextEncoder().encode('evscope')),
    );
    // Pinned: a change here breaks matching of every saved session.
    expect(fingerprintBytes(bytesOf(1000, 1))).toBe(FIXED_1000);
  });

  test('samples at most ≈ 3 MiB of large files, everything of small ones', () => {
    expect(fingerprintRanges(100)).toEqual([[0, 100]]);
    const big = fingerprintRanges(20e9);
    expect(big.length).toBe(18);
    expect(big.reduce((a, [, n]) => a + n, 0)).toBe(3 * 2 ** 20);
    expect(big[17]).toEqual([20e9 - 2 ** 20, 2 ** 20]);
  });

  test('any change in a sampled byte, or in size, changes it; Blob and bytes agree', async () => {
    const b = bytesOf(9 << 20, 7);
    const f = fingerprintBytes(b);
    const c = b.slice();
    c[(9 << 20) - 1] ^= 1;
    expect(fingerprintBytes(c)).not.toBe(f);
    expect(fingerprintBytes(b.subarray(0, b.length - 1))).not.toBe(f);
    expect(await fingerprintFile(blobRangeReader(new Blob([b as Uint8Array<ArrayBuffer>])))).toBe(f);
    // A reader that reads in odd pieces gives the same value.
    expect(
      await fingerprintFile({
        size: 5,
        read: async (o, n) => new Uint8Array([1, 2, 3, 4, 5]).slice(o, o + n),
      }),
    ).toBe(fingerprintBytes(new Uint8Array([1, 2, 3, 4, 5])));
  });

  test('matchInput finds supplied raw files by fingerprint, then by name and size', () => {
    const s = createSession({
      appVersion: 't',
      inputs: [
        { id: 'a', name: 'a.tif', size: 10, fingerprint: 'evfp1:000000000000000a', role: 'stack' },
        { id: 'b', name: 'b.tif', size: 20, fingerprint: null, role: 'stack' },
      ],
    });
    expect(
      matchInput(s, { name: 'renamed.tif', size: 10, fingerprint: 'evfp1:000000000000000a' })?.status,
    ).toBe('match');
    expect(matchInput(s, { name: 'a.tif', size: 10, fingerprint: 'evfp1:000000000000000b' })?.status).toBe(
      'mismatch',
    );
    expect(matchInput(s, { name: 'b.tif', size: 20, fingerprint: 'evfp1:0000000000000001' })?.status).toBe(
      'size-only',
    );
    expect(matchInput(s, { name: 'c.tif', size: 20, fingerprint: 'evfp1:0000000000000001' })).toBeNull();
  });
});

const FIXED_1000 = 'evfp1:098f38b5bacbdaf2';
