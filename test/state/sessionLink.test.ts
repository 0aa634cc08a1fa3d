import { expect, test } from 'vitest';
import { localizeParamsStore } from '../../src/state/localizeParamsStore';
import { movieStore } from '../../src/state/movieStore';
import { postStore } from '../../src/state/postStore';
import {
  applyLink,
  linkHash,
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
    [{ step: '<script>' }, /unknown step/],
    [{ localize: { thresholdFactor: -1 } }, /thresholdFactor/],
    [{ localize: { __proto__x: 1 } }, /not a Localize parameter/],
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
