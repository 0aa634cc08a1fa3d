// A user's first minutes with the raw viewer: open a stack, look at it, scrub, make mistakes.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeTiff16 } from '../helpers/tiff';
import { type BrowserSession, openApp } from './browser';

const W = 64;
const H = 48;
const FRAMES = 40;
// Each frame is a ramp offset by the frame number, with one bright pixel that moves with it.
const pixel = (f: number, x: number, y: number) => (x === f && y === 10 ? 5000 : 200 + x + y * 2 + f * 3);
const stack = Buffer.from(writeTiff16({ width: W, height: H, frames: FRAMES, pixel }));

let s: BrowserSession;
let page: Page;
beforeAll(async () => {
  s = await openApp();
  page = s.page;
  await page.getByText('evscope').first().waitFor();
});
afterAll(async () => {
  await s?.close();
});

/** Pixels of the viewer canvas that the image covers, and how many distinct grey levels they have. */
async function canvasContent(): Promise<{ painted: number; levels: number }> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=viewer-canvas]')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    const levels = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] === 0) continue;
      painted++;
      levels.add(d[i]);
    }
    return { painted, levels: levels.size };
  });
}

/** The canvas names the frame it shows once the worker's pixels for it are drawn. */
const waitFrame = (n: number) =>
  page.waitForFunction(
    (label) => document.querySelector('[data-testid=viewer-canvas]')?.getAttribute('aria-label') === label,
    `Frame ${n}`,
  );

test('opening a multi-page TIFF with the file picker shows frame 1', async () => {
  await page.setInputFiles('[data-testid=open-input]', {
    name: 'ramp.tif',
    mimeType: 'image/tiff',
    buffer: stack,
  });
  await page
    .getByTestId('frame-count')
    .filter({ hasText: `/ ${FRAMES}` })
    .waitFor();
  await waitFrame(1);
  const c = await canvasContent();
  expect(c.painted).toBeGreaterThan(W * H);
  expect(c.levels).toBeGreaterThan(20);
  await expect(page.getByText(`${W} × ${H} px`).isVisible()).resolves.toBe(true);
  await expect(page.getByText('uint16').isVisible()).resolves.toBe(true);
});

test('keyboard scrubbing: → steps, End jumps to the last frame, Home back to the first', async () => {
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await waitFrame(3);
  await page.keyboard.press('End');
  await waitFrame(FRAMES);
  await expect(page.getByLabel('Frame number').inputValue()).resolves.toBe(String(FRAMES));
  await page.keyboard.press('Home');
  await waitFrame(1);
});

test('space plays and pauses; the frame advances while playing', async () => {
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press(' ');
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  await page.waitForFunction(
    () => Number(document.querySelector<HTMLInputElement>('[aria-label="Frame number"]')?.value) >= 5,
  );
  await page.keyboard.press(' ');
  await page.getByRole('button', { name: 'Play' }).waitFor();
  const stopped = await page.getByLabel('Frame number').inputValue();
  await page.waitForTimeout(200);
  await expect(page.getByLabel('Frame number').inputValue()).resolves.toBe(stopped);
  await page.keyboard.press('Home');
  await waitFrame(1);
});

test('the wheel zooms about the cursor and 0 fits the image again', async () => {
  const zoomText = () => page.getByTitle('Zoom (screen px per camera px)').textContent();
  const fitted = await zoomText();
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction(
    (f) => document.querySelector('[title^="Zoom (screen"]')?.textContent !== f,
    fitted,
  );
  expect(Number.parseInt((await zoomText())!, 10)).toBeGreaterThan(Number.parseInt(fitted!, 10));
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('0');
  await expect(zoomText()).resolves.toBe(fitted);
});

test('hovering reads out position and the raw pixel value', async () => {
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const text = await page.getByTestId('readout').textContent();
  const m = text!.match(/x (\d+), y (\d+) px.*value (\d+)/);
  expect(m).not.toBeNull();
  const [x, y, v] = m!.slice(1).map(Number);
  expect(v).toBe(pixel(0, x, y));
});

test('metadata: invalid pixel size is refused with a reason; a valid one adds nm to the readout', async () => {
  const field = page.locator('#meta-pixelSizeNm');
  await field.fill('0');
  await field.press('Enter');
  await expect(page.getByText('Must be greater than 0.').isVisible()).resolves.toBe(true);
  await field.fill('107');
  await field.press('Enter');
  await expect(page.getByText('Must be greater than 0.').count()).resolves.toBe(0);
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2 + 3, box.y + box.height / 2);
  await expect(page.getByTestId('readout').textContent()).resolves.toMatch(/µm|nm/);
});

test('a broken file shows an error naming it and the loaded stack stays; a truncated one opens with a warning', async () => {
  await page.setInputFiles('[data-testid=open-input]', {
    name: 'x.tif',
    mimeType: 'image/tiff',
    buffer: Buffer.from('these are random bytes, not an image'),
  });
  const alert = page.getByRole('alert').filter({ hasText: 'x.tif' });
  await alert.waitFor();
  await expect(alert.textContent()).resolves.toMatch(/Could not open x\.tif/);
  await expect(page.getByRole('button', { name: /^ramp\.tif / }).isVisible()).resolves.toBe(true);
  expect((await canvasContent()).painted).toBeGreaterThan(W * H);
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'x.tif' }).count()).resolves.toBe(0);

  const truncated = stack.subarray(0, stack.length - 500);
  await page.setInputFiles('[data-testid=open-input]', {
    name: 'cut.tif',
    mimeType: 'image/tiff',
    buffer: truncated,
  });
  // A recording cut short opens with its complete frames and a warning that names the file.
  await page.getByRole('alert').filter({ hasText: 'cut.tif' }).filter({ hasText: 'truncated' }).waitFor();
  await page
    .getByTestId('frame-count')
    .filter({ hasText: `/ ${FRAMES - 1}` })
    .waitFor();
});

test('dropping files anywhere opens them as one stack', async () => {
  const pages = [0, 1, 2].map((f) => [
    ...writeTiff16({ width: 20, height: 10, frames: 1, pixel: (_, x, y) => f * 100 + x + y }),
  ]);
  await page.evaluate((bytes) => {
    const dt = new DataTransfer();
    for (const [i, b] of bytes.entries()) {
      dt.items.add(new File([new Uint8Array(b)], `drop_${i + 1}.tif`, { type: 'image/tiff' }));
    }
    const target = document.querySelector('.right')!;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, pages);
  // '/ 3' also matches the previous stack's '/ 39': wait for this stack's own file names first.
  await page.getByText('drop_1.tif, drop_2.tif, drop_3.tif').waitFor();
  await page.getByTestId('frame-count').filter({ hasText: '/ 3' }).waitFor();
  await expect(page.getByText('20 × 10 px').isVisible()).resolves.toBe(true);
});

test('a second channel opens overlaid, and can be shown side by side', async () => {
  await page.getByRole('button', { name: /^ramp\.tif / }).click();
  await page
    .getByTestId('frame-count')
    .filter({ hasText: `/ ${FRAMES}` })
    .waitFor();
  await page.setInputFiles('[data-testid=channel-input]', {
    name: 'ramp_ch2.tif',
    mimeType: 'image/tiff',
    buffer: stack,
  });
  await page.getByText('Channel 2', { exact: true }).waitFor();
  const before = await canvasContent();
  await page.getByRole('combobox', { name: 'Channels' }).selectOption('side-by-side');
  await page.waitForFunction((n) => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=viewer-canvas]')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) painted++;
    return painted !== n;
  }, before.painted);
});

test('? lists the shortcuts, Escape closes them; the theme switches to light', async () => {
  await page.locator('body').click({ position: { x: 5, y: 400 } });
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog').count()).resolves.toBe(0);
  await page.getByRole('button', { name: 'Light theme' }).click();
  await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('light');
});

test('no console errors along the way', () => {
  expect(s.errors).toEqual([]);
});
