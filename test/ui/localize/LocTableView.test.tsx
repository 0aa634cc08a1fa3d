// @vitest-environment happy-dom
// The table on screen redraws at most twice a second while a run streams; its Export CSV and row
// count must still hold every localization the run produced the moment the run ends.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { locTableFromColumns } from '../../../src/core/locs/table';
import { locsStore } from '../../../src/state/locsStore';
import { LocTableView } from '../../../src/ui/localize/LocTableView';

const chunk = (first: number, frames: number, perFrame: number) => {
  const n = frames * perFrame;
  return locTableFromColumns({
    frame: Uint32Array.from({ length: n }, (_, i) => first + Math.floor(i / perFrame)),
    x: Float64Array.from({ length: n }, (_, i) => 100 + i),
    y: Float64Array.from({ length: n }, (_, i) => 200 + i),
  });
};

const saved: Blob[] = [];
beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  // The export runs on the main thread here (no worker) and its download is captured.
  vi.stubGlobal('Worker', undefined);
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
    saved.push(b as Blob);
    return 'blob:test';
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
});
afterAll(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

test('right after a run ends, the table and its export hold every chunk, the last ones included', async () => {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  await act(async () => root.render(<LocTableView />));
  const l = () => locsStore.getState();
  // Chunks arrive faster than the table redraws: the first shows, the next two wait for the throttle.
  await act(async () => l().startRun(1, { source: 'test' }, 30));
  await act(async () => l().append(chunk(0, 10, 3)));
  await act(async () => l().append(chunk(10, 10, 3)));
  await act(async () => l().append(chunk(20, 10, 3)));
  await act(async () => l().finish('done'));
  expect(host.querySelector('[data-testid=loc-row-count]')?.getAttribute('data-rows')).toBe('90');
  const button = host.querySelector<HTMLButtonElement>('[data-testid=loc-export-csv]')!;
  await act(async () => button.click());
  await act(() => vi.waitFor(() => expect(saved).toHaveLength(1), { timeout: 60_000 }));
  const lines = (await saved[0].text()).trimEnd().split('\n');
  const col = lines[0].split(',').findIndex((h) => /^"?frame"?$/.test(h));
  const frames = lines.slice(1).map((r) => Number(r.split(',')[col]));
  expect(frames).toHaveLength(90);
  // 1-based in the CSV: frames 1–30, three each.
  expect(Math.max(...frames)).toBe(30);
  expect(frames.filter((f) => f === 30)).toHaveLength(3);
  await act(async () => root.unmount());
});
