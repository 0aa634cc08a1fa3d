// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { expect, test, vi } from 'vitest';
import { ErrorBoundary } from '../../src/ui/ErrorBoundary';

function Broken(): never {
  throw new Error('frame buffer exploded');
}

test('a crash inside an area shows what broke there, and the rest of the page stays', async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  const quiet = [
    vi.spyOn(console, 'error').mockImplementation(() => {}),
    vi.spyOn(console, 'warn').mockImplementation(() => {}),
  ];
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  await act(async () => {
    root.render(
      <div>
        <p>pipeline still here</p>
        <ErrorBoundary area="viewer">
          <Broken />
        </ErrorBoundary>
      </div>,
    );
  });
  expect(host.textContent).toContain('pipeline still here');
  expect(host.querySelector('[role=alert]')?.textContent).toContain('The viewer stopped working.');
  expect(host.textContent).toContain('frame buffer exploded');
  await act(async () => root.unmount());
  for (const q of quiet) q.mockRestore();
});
