// @vitest-environment happy-dom
// The panels' number fields are checked by their parameter set's schema: a value the schema
// refuses shows the schema's limit as its reason and never reaches the store, a good one does;
// and the field refuses exactly what a session file's value would be refused for.
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MarkersParamsSchema } from '../../../src/core/ev/schema';
import { LocalizeSettingsSchema } from '../../../src/core/localize/settings';
import { RccOptionsSchema } from '../../../src/core/locs/pipeline';
import { MovieSigmaSchema } from '../../../src/core/movie/params';
import { v } from '../../../src/core/schema';
import { localizeParamsStore } from '../../../src/state/localizeParamsStore';
import { checkNumberText, within } from '../../../src/ui/forms/fieldCheck';
import { NumberField } from '../../../src/ui/forms/fields';

let host: HTMLDivElement;
let root: Root;
beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterAll(() => act(() => root.unmount()));

const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
function type(input: HTMLInputElement, text: string, key?: string) {
  act(() => {
    setValue.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  if (key) act(() => void input.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true })));
}
const alertText = () => host.querySelector('[role=alert]')?.textContent ?? null;

test('Localize threshold: a refused value shows the schema limit and leaves the store alone', () => {
  const store = localizeParamsStore.getState();
  store.reset();
  const before = localizeParamsStore.getState().settings.thresholdFactor;
  act(() =>
    root.render(
      <NumberField
        label="Threshold"
        unit="× std"
        hint=""
        value={before}
        schema={LocalizeSettingsSchema.entries.thresholdFactor}
        onCommit={(v) => localizeParamsStore.getState().set({ thresholdFactor: v })}
      />,
    ),
  );
  const input = host.querySelector('input')!;
  type(input, '0', 'Enter');
  expect(alertText()).toBe('Must be greater than 0 × std.');
  expect(input.getAttribute('aria-invalid')).toBe('true');
  expect(localizeParamsStore.getState().settings.thresholdFactor).toBe(before);
  type(input, '250', 'Enter');
  expect(alertText()).toBe('Must be at most 100 × std.');
  expect(localizeParamsStore.getState().settings.thresholdFactor).toBe(before);
  // The same value in a link or session is refused by the same schema.
  expect(v.is(LocalizeSettingsSchema.entries.thresholdFactor, 250)).toBe(false);
  type(input, '2,5', 'Enter');
  expect(alertText()).toBeNull();
  expect(localizeParamsStore.getState().settings.thresholdFactor).toBe(2.5);
});

test('live fields (Movie, Markers) commit valid keystrokes only; blur puts the applied value back', () => {
  const committed: number[] = [];
  const fixed = MovieSigmaSchema.options[1].entries.nm;
  act(() =>
    root.render(
      <NumberField
        live
        label="Fixed σ (nm)"
        hint=""
        value={10}
        schema={fixed}
        onCommit={(v) => committed.push(v)}
      />,
    ),
  );
  const input = host.querySelector('input')!;
  // 0 draws a histogram: the panel, the CLI's --sigma 0 and a session's nm: 0 all accept it.
  type(input, '0');
  expect(committed).toEqual([0]);
  type(input, '-1');
  expect(alertText()).toBe('Must be at least 0.');
  type(input, 'abc');
  expect(alertText()).toBe('“abc” is not a number.');
  expect(committed).toEqual([0]);
  act(() => void input.dispatchEvent(new FocusEvent('focusout', { bubbles: true })));
  expect(alertText()).toBeNull();
  expect(input.value).toBe('10');
});

test('empty text: null where the schema allows it ("auto"), else a value is needed', () => {
  const F = LocalizeSettingsSchema.entries;
  expect(checkNumberText(F.sigmaNm, ' ')).toEqual({ ok: true, value: null });
  expect(checkNumberText(F.thresholdFactor, '')).toEqual({ ok: false, reason: 'A value is needed.' });
  expect(checkNumberText(F.maxEmitters, '2.5')).toEqual({ ok: false, reason: 'Must be a whole number.' });
  // Digit groups as people type them (the simulation dialog's frame counts).
  expect(checkNumberText(MarkersParamsSchema.entries.frameCount, ' 1 000 ')).toEqual({
    ok: true,
    value: 1000,
  });
  // Limits from the open data stack on top of the schema's own.
  const frames = within(MarkersParamsSchema.entries.frameCount, 90, 10);
  expect(checkNumberText(frames, '5')).toEqual({ ok: false, reason: 'Must be at least 10.' });
  expect(checkNumberText(frames, '91')).toEqual({ ok: false, reason: 'Must be at most 90.' });
  expect(checkNumberText(frames, '90')).toEqual({ ok: true, value: 90 });
  expect(checkNumberText(within(F.lastFrame, 40), '')).toEqual({ ok: true, value: null });
  const segments = v.unwrap(RccOptionsSchema.entries.segments);
  expect(checkNumberText(segments, '1', 'segments')).toEqual({
    ok: false,
    reason: 'Must be at least 2 segments.',
  });
});
