import { expect, test } from 'vitest';
import { localizeParamsStore } from '../../src/state/localizeParamsStore';
import { movieStore } from '../../src/state/movieStore';
import { postStore } from '../../src/state/postStore';
import {
  applyLink,
  linkHash,
  linkNotice,
  MAX_LINK_CHARS,
  parseLinkHash,
  parseSessionFileLink,
} from '../../src/state/sessionLink';
import { uiStore } from '../../src/state/uiStore';

test('a link carries parameters and view and puts them back', () => {
  localizeParamsStore.getState().set({
    thresholdFactor: 1.7,
    lastFrame: 300,
    roi: { x: 1, y: 2, width: 30, height: 40 },
    fitter: 'mle-multi',
    maxEmitters: 3,
  });
  postStore.getState().setSteps([{ kind: 'filter', expression: 'photons > 300' }]);
  movieStore.getState().setParams({ window: 200, step: 20 });
  uiStore.getState().setActiveStep('post');
  uiStore.getState().setCentreView('reconstruction');
  const hash = linkHash();
  expect(hash.startsWith('#s=')).toBe(true);
  expect(hash.length).toBeLessThan(600);

  localizeParamsStore.getState().reset();
  postStore.getState().setSteps([]);
  movieStore.getState().setParams({ window: 1002, step: 6 });
  uiStore.getState().setActiveStep('data');
  const parsed = parseLinkHash(hash);
  if (!parsed?.ok) throw new Error(String(parsed?.error));
  applyLink(parsed.state);
  expect(localizeParamsStore.getState().settings).toMatchObject({
    thresholdFactor: 1.7,
    lastFrame: 300,
    roi: { x: 1, y: 2, width: 30, height: 40 },
    fitter: 'mle-multi',
    maxEmitters: 3,
  });
  expect(postStore.getState().steps).toEqual([{ kind: 'filter', expression: 'photons > 300' }]);
  expect(movieStore.getState().params).toMatchObject({ window: 200, step: 20 });
  expect(uiStore.getState().activeStep).toBe('post');
  expect(uiStore.getState().centreView).toBe('reconstruction');
});

test('links are validated: unknown or malformed fields are refused with a reason', () => {
  const enc = (v: unknown) => `#s=${encodeURIComponent(JSON.stringify(v))}`;
  expect(parseLinkHash('#frame=3')).toBeNull();
  const bad: [unknown, RegExp][] = [
    [{ step: '<script>' }, /step: "<script>" is not one of/],
    [{ localize: { thresholdFactor: -1 } }, /thresholdFactor/],
    [{ localize: { __proto__x: 1 } }, /localize: unknown field "__proto__x"/],
    [{ localize: { roi: { x: 0, y: 0, width: 0, height: 3 } } }, /roi/],
    [{ localize: { fitter: 'mle-multi', maxEmitters: 9 } }, /maxEmitters/],
    [{ localize: { multiAlpha: 0 } }, /multiAlpha/],
    [{ post: [{ kind: 'eval', code: 'alert(1)' }] }, /post/],
    [
      { movie: { window: 1.5, step: 1, renderPxNm: 10, sigma: { kind: 'fixed', nm: 5 }, roi: null } },
      /movie/,
    ],
    [{ movie: { window: 10, step: 1, renderPxNm: 10, sigma: { kind: 'js' }, roi: null } }, /sigma/],
    [{ data: [1, 2, 3] }, /unknown field/],
    [[1], /expected an object/],
  ];
  for (const [v, re] of bad) {
    const r = parseLinkHash(enc(v));
    expect(r?.ok, JSON.stringify(v)).toBe(false);
    if (r && !r.ok) expect(r.error).toMatch(re);
  }
  expect(parseLinkHash('#s=%7Bnot json')?.ok).toBe(false);
  expect(parseLinkHash(`#s=${'x'.repeat(MAX_LINK_CHARS + 1)}`)).toEqual({
    ok: false,
    error: expect.stringMatching(/longer/),
  });
});

test('?session= links: a malformed escape gets a name, not a URIError; other sites and non-URLs are refused', () => {
  const here = { href: 'https://evscope.example/app/?session=x', origin: 'https://evscope.example' };
  // What URLSearchParams hands over for ?session=%2Fx%25E0%25A4%25A.smlm
  const raw = new URLSearchParams('?session=%2Fx%25E0%25A4%25A.smlm').get('session')!;
  expect(() => decodeURIComponent(new URL(raw, here.href).pathname)).toThrow(URIError);
  const bad = parseSessionFileLink(raw, here);
  expect(bad).toMatchObject({ ok: true, name: 'x%E0%A4%A.smlm' });
  expect(parseSessionFileLink('/data/my%20run.smlm', here)).toMatchObject({ ok: true, name: 'my run.smlm' });
  const other = parseSessionFileLink('https://elsewhere.example/a.smlm', here);
  expect(other).toMatchObject({ ok: false, title: 'Could not open a.smlm' });
  expect(other.ok || other.message).toMatch(/only fetched from this site/);
  expect(parseSessionFileLink('http://[::1', here)).toMatchObject({
    ok: false,
    title: 'The session link is not a URL',
  });
});

test('a link carries every step’s parameters, the stack and which steps had results', async () => {
  const { presetParams } = await import('../../src/core/sim/presets');
  const { dataStore } = await import('../../src/state/dataStore');
  const { markersStore } = await import('../../src/state/markersStore');
  const { tracksStore } = await import('../../src/state/tracksStore');
  const { locsStore } = await import('../../src/state/locsStore');
  const { fakeActions } = await import('./sessionFixtures');
  const actions = fakeActions();
  await actions.openRecipe({ kind: 'simulated', params: presetParams('demo') }, 'demo');
  const info = dataStore.getState().stacks.at(-1)!.info;
  dataStore.getState().setOverride(info.id, 'pixelSizeNm', 108);
  dataStore.getState().setOverride(info.id, 'cameraKind', 'scmos');
  tracksStore.getState().forStack(info);
  tracksStore.getState().setParams({ radiusNm: 175, pooling: 'pooled', sigmaNm: 140 });
  markersStore.getState().forStack(info);
  markersStore.getState().setParams({ thresholdK: 3.5, projection: 'max' });
  movieStore.setState({ method: 'manual', manualThreshold: 0.02, smoothSigmaPx: 0.5, connectivity: 8 });
  const x = new Float64Array(5);
  locsStore.getState().load(info.id, { length: 5, columns: { x, y: x } }, { source: 'test' });
  // Post-processing steps belong to their stack: this one gets its own.
  postStore.getState().setSteps([{ kind: 'filter', expression: 'photons > 300' }]);
  const tracks = tracksStore.getState().params;
  const markers = markersStore.getState().params;
  const hash = linkHash();

  // Another browser: the same stack open, every parameter at its default.
  tracksStore.getState().clear();
  markersStore.getState().clear();
  dataStore.setState((d) => ({ stacks: d.stacks.map((x) => ({ ...x, overrides: {} })) }));
  movieStore.setState({ method: 'otsu', manualThreshold: 0, smoothSigmaPx: 1, connectivity: 26 });
  const parsed = parseLinkHash(hash);
  if (!parsed?.ok) throw new Error(String(parsed?.error));
  expect(parsed.state.stack).toBe('demo');
  expect(parsed.state.results).toEqual(['localize', 'post']);
  applyLink(parsed.state);
  expect(dataStore.getState().stacks.at(-1)!.overrides).toEqual({ pixelSizeNm: 108, cameraKind: 'scmos' });
  expect(tracksStore.getState().params).toEqual(tracks);
  expect(markersStore.getState().params).toEqual(markers);
  expect(movieStore.getState()).toMatchObject({
    method: 'manual',
    manualThreshold: 0.02,
    smoothSigmaPx: 0.5,
    connectivity: 8,
  });
  // What the reviewer is told: parameters only, and what to open.
  expect(linkNotice(parsed.state, null)).toEqual({
    title: 'This link carries parameters only: no results (Localize, Post-process)',
    message: 'To see them, open the session file, or open the stack "demo" and run Localize, Post-process.',
  });
  expect(linkNotice(parsed.state, 'demo')?.message).toMatch(/The stack "demo" is open: run Localize/);
  expect(linkNotice({ step: 'post' }, null)).toBeNull();
});

test('hostile tracks, markers and binarize sections are refused with the field at fault', () => {
  const enc = (v: unknown) => `#s=${encodeURIComponent(JSON.stringify(v))}`;
  const bad: [unknown, RegExp][] = [
    [{ tracks: { radiusNm: '<script>' } }, /tracks\.radiusNm/],
    [{ tracks: { eval: 1 } }, /tracks: unknown field "eval"/],
    [{ tracks: { pooling: 'all' } }, /tracks\.pooling/],
    [{ binarize: { method: 'otsu' } }, /binarize\.sampleFrames: missing/],
    [{ markers: { channels: [] } }, /markers\.reference: missing/],
    [{ results: ['localize', 'everything'] }, /results\[1\]/],
    [{ stack: 7 }, /stack: expected text, got 7/],
    [{ meta: { pixelSizeNm: -5 } }, /meta\.pixelSizeNm/],
    [{ meta: { cameraKind: 'film' } }, /meta\.cameraKind/],
  ];
  for (const [v, re] of bad) {
    const r = parseLinkHash(enc(v));
    expect(r?.ok, JSON.stringify(v)).toBe(false);
    if (r && !r.ok) expect(r.error).toMatch(re);
  }
});
