// sCMOS calibration maps in the built app: a simulated sCMOS stack localizes with the maps from
// its simulation; a TIFF of the same data, set to sCMOS in Data, gets its three maps through the
// file pickers. Both reach the precision the maps allow; without maps the error is much larger.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { scmosMapsFromSimulation } from '../../src/core/camera/scmosMaps';
import { locTableFromColumns } from '../../src/core/locs/table';
import { scoreLocalizations } from '../../src/core/score/metrics';
import { CAMERA_PRESETS, presetParams, simulate, truthEventsTable } from '../../src/core/sim/index';
import { encodeTiff } from '../../src/core/stack/tiffWriter';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => unknown>;
let s: BrowserSession;
const SHOTS = process.env.EVSCOPE_SHOTS ?? '/tmp';

const params = {
  ...presetParams('isolated'),
  frames: 100,
  camera: {
    ...CAMERA_PRESETS.scmos,
    readNoiseE: 3,
    scmosOffsetSdAdu: 20,
    scmosGainCv: 0.3,
    scmosReadNoiseLogSd: 0.8,
  },
};
const sim = simulate(params);
const truth = truthEventsTable(sim.truth.events);

beforeAll(async () => {
  s = await openApp();
  await s.page.waitForFunction(() => 'evscope' in window);
});
afterAll(async () => {
  await s?.close();
});

async function runAndScore() {
  await s.page.getByTestId('run-localize').click();
  await s.page.waitForFunction(
    () =>
      ((window as unknown as { evscope: Api }).evscope.runStatus() as { status: string }).status === 'done',
    null,
    { timeout: 120_000 },
  );
  const cols = await s.page.evaluate(() => {
    const t = (window as unknown as { evscope: Api }).evscope.localizations() as {
      columns: Record<string, number[]>;
    };
    return { frame: t.columns.frame, x: t.columns.x, y: t.columns.y };
  });
  return scoreLocalizations(
    truth,
    locTableFromColumns({
      frame: Uint32Array.from(cols.frame),
      x: Float64Array.from(cols.x),
      y: Float64Array.from(cols.y),
    }),
  );
}

const mapsSource = () => s.page.getByTestId('scmos-maps-source');

test('a simulated sCMOS stack localizes with the maps from its simulation', async () => {
  const ok = await s.page.evaluate(
    (p) =>
      (window as unknown as { evscope: Api }).evscope.openRecipe(
        { kind: 'simulated', params: p },
        'Simulating',
      ),
    params,
  );
  expect(ok).toBe(true);
  await s.page.getByTestId('frame-count').filter({ hasText: '/ 100' }).waitFor();
  await s.page.locator('[data-step=localize]').click();
  await mapsSource().filter({ hasText: 'maps from the simulation' }).waitFor();
  await s.page.getByTestId('preview-summary').waitFor({ timeout: 120_000 });
  const withMaps = await runAndScore();
  expect(withMaps.jaccard).toBeGreaterThan(0.95);
  // ≈ 6.7 nm per axis is the bound on these maps (test/cli/scmos.test.ts); ≈ 19 nm without maps.
  expect(withMaps.rmseX).toBeLessThan(8.5);
  await s.page.screenshot({ path: `${SHOTS}/evscope-scmos-simulation.png` });
});

test('a TIFF set to sCMOS in Data takes its three maps from the file pickers', async () => {
  const frames: Uint16Array[] = [];
  for (let f = 0; f < params.frames; f++) frames.push((await sim.stack.readFrame(f)) as Uint16Array);
  const opts = { width: 64, height: 64, pixelSizeNm: 100 };
  const stack = Buffer.from(await encodeTiff(frames, { ...opts, dtype: 'uint16' }));
  const m = scmosMapsFromSimulation(sim.truth.scmosMaps!);
  const tif = async (a: Float32Array) => Buffer.from(await encodeTiff([a], { ...opts, dtype: 'float32' }));
  const small = Buffer.from(
    await encodeTiff([new Float32Array(32 * 32).fill(1)], { width: 32, height: 32, dtype: 'float32' }),
  );

  await s.page.locator('[data-step=data]').click();
  await s.page.setInputFiles('[data-testid=open-input]', {
    name: 'scmos.tif',
    mimeType: 'image/tiff',
    buffer: stack,
  });
  await s.page.getByTestId('frame-count').filter({ hasText: '/ 100' }).waitFor();
  await s.page.locator('#meta-cameraKind').selectOption('scmos');
  await s.page.locator('[data-step=localize]').click();
  await mapsSource().filter({ hasText: 'none' }).waitFor();
  // Without maps: the nominal offset 100 ADU and gain 0.5 e⁻/ADU for every pixel.
  await s.page.locator('[data-step=data]').click();
  await s.page.locator('#meta-offsetAdu').fill('100');
  await s.page.locator('#meta-offsetAdu').press('Enter');
  await s.page.locator('#meta-electronsPerAdu').fill('0.5');
  await s.page.locator('#meta-electronsPerAdu').press('Enter');
  await s.page.locator('[data-step=localize]').click();
  const without = await runAndScore();

  // A map of the wrong size is refused with the file's name; the run is blocked until fixed.
  await s.page.setInputFiles('[data-testid=scmos-map-gain]', {
    name: 'gain-binned.tif',
    mimeType: 'image/tiff',
    buffer: small,
  });
  await s.page
    .getByTestId('scmos-map-gain-state')
    .filter({ hasText: /gain-binned\.tif is 32×32 px but the stack is 64×64 px/ })
    .waitFor();
  await s.page.setInputFiles('[data-testid=scmos-map-offset]', {
    name: 'offset.tif',
    mimeType: 'image/tiff',
    buffer: await tif(m.offsetAdu),
  });
  await s.page
    .getByTestId('scmos-map-offset-state')
    .filter({ hasText: /offset\.tif mean 10\d\.\d ADU/ })
    .waitFor();
  await s.page
    .locator('.plan-errors')
    .filter({ hasText: /load the gain and variance maps/ })
    .waitFor();
  expect(await s.page.getByTestId('run-localize').isDisabled()).toBe(true);
  await s.page.setInputFiles('[data-testid=scmos-map-gain]', {
    name: 'gain.tif',
    mimeType: 'image/tiff',
    buffer: await tif(m.electronsPerAdu),
  });
  await s.page.setInputFiles('[data-testid=scmos-map-variance]', {
    name: 'variance.tif',
    mimeType: 'image/tiff',
    buffer: await tif(m.varianceAdu2),
  });
  await mapsSource().filter({ hasText: 'from 3 TIFF files' }).waitFor();
  await s.page
    .getByTestId('scmos-map-gain-state')
    .filter({ hasText: /gain\.tif mean 0\.\d{3} e⁻\/ADU/ })
    .waitFor();
  await s.page.getByTestId('preview-summary').waitFor({ timeout: 120_000 });
  await s.page.locator('[data-testid=scmos-maps]').screenshot({ path: `${SHOTS}/evscope-scmos-maps.png` });
  await s.page.screenshot({ path: `${SHOTS}/evscope-scmos-files.png` });
  const withMaps = await runAndScore();
  expect(withMaps.jaccard).toBeGreaterThan(0.95);
  expect(withMaps.rmseX).toBeLessThan(8.5);
  expect(withMaps.rmseX).toBeLessThan(0.6 * without.rmseX);

  // Removing a map takes the run back to a choice the user must make.
  await s.page.getByRole('button', { name: 'Remove the variance map' }).click();
  await mapsSource().filter({ hasText: 'none' }).waitFor();
  expect(s.errors).toEqual([]);
});
