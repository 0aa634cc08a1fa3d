// The movie follows a Localize run while it streams (frames whose window is complete become
// ready before the run ends), and exports frame-exact WebM (VP9) and MP4 (H.264) videos through
// WebCodecs in headless Chromium.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readMp4 } from '../helpers/mp4';
import { readWebm } from '../helpers/webm';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => Promise<unknown> | unknown>;
const FRAMES = 900;
const W = 100;
const S = 20;
const EXPECTED = Math.floor((FRAMES - W) / S) + 1; // 41

let s: BrowserSession;
beforeAll(async () => {
  s = await openApp();
  await s.page.waitForFunction(() => 'evscope' in window);
});
afterAll(async () => {
  await s?.close();
});

test('the movie builds progressively while localization streams, then exports frame-exact WebM and MP4', async () => {
  const { page } = s;
  const opened = await page.evaluate(async (frames) => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const p = { ...(api.simulationPreset('demo') as object), frames };
    return api.openRecipe({ kind: 'simulated', params: p }, 'Simulating');
  }, FRAMES);
  expect(opened).toBe(true);

  // Start the run without awaiting it, build the movie as soon as it is running, and sample the
  // movie's ready-frame count together with the run's state until the run ends.
  const trace = (await page.evaluate(
    async ({ W, S }) => {
      const api = (window as unknown as { evscope: Api }).evscope;
      const run = Promise.resolve(api.runLocalization());
      const status = () => api.runStatus() as { status: string; progress: { framesDone: number } | null };
      const t0 = performance.now();
      while (status().status !== 'running') {
        if (performance.now() - t0 > 120_000) throw new Error('the run did not start');
        await new Promise((r) => setTimeout(r, 10));
      }
      const built = Promise.resolve(api.buildMovie({ window: W, step: S, renderPxNm: 20 }));
      const samples: { running: boolean; framesDone: number; ready: number; status: string }[] = [];
      let ended = false;
      run.finally(() => {
        ended = true;
      });
      while (!ended) {
        if (performance.now() - t0 > 240_000)
          throw new Error(`the run did not end: ${JSON.stringify(samples.slice(-3))}`);
        const r = status();
        const m = api.movieState() as { ready: number; status: string };
        samples.push({
          running: r.status === 'running',
          framesDone: r.progress?.framesDone ?? 0,
          ready: m.ready,
          status: m.status,
        });
        await new Promise((r) => setTimeout(r, 25));
      }
      await run;
      await built;
      // The last chunks reach the movie worker shortly after the run ends.
      const t1 = performance.now();
      while ((api.movieState() as { status: string }).status !== 'ready' && performance.now() - t1 < 60_000)
        await new Promise((r) => setTimeout(r, 25));
      return { samples, final: api.movieState(), run: status() };
    },
    { W, S },
  )) as {
    samples: { running: boolean; framesDone: number; ready: number; status: string }[];
    final: { ready: number; status: string };
    run: { status: string };
  };
  console.info(`trace: ${trace.samples.length} samples, final ${JSON.stringify(trace.final)}`);
  expect(trace.run.status).toBe('done');
  const during = trace.samples.filter((x) => x.running);
  const partial = during.filter((x) => x.ready > 0 && x.ready < EXPECTED);
  // Ready frames appear while the run is still going, grow monotonically, and never run ahead of
  // the localized frames: frame n needs raw frames up to nS + W.
  expect(partial.length).toBeGreaterThan(0);
  expect(new Set(partial.map((x) => x.ready)).size).toBeGreaterThan(1);
  for (let i = 1; i < trace.samples.length; i++)
    expect(trace.samples[i].ready).toBeGreaterThanOrEqual(trace.samples[i - 1].ready);
  for (const x of during) if (x.ready > 0) expect((x.ready - 1) * S + W).toBeLessThanOrEqual(x.framesDone);
  expect(during.some((x) => x.status === 'streaming')).toBe(true);
  expect(trace.final).toMatchObject({ ready: EXPECTED, status: 'ready' });

  // Videos through the panel's buttons: every movie frame becomes exactly one video frame with
  // the time stamp i/fps, and the container's duration is frames/fps — content, not timing, so
  // this holds however busy the machine is.
  await page.getByRole('button', { name: /Movie/ }).first().click();
  // The player's speed (default 30 frames/s) sets the video's frame rate.
  const fps = 30;
  // A video button says whether this browser's VideoEncoder takes its codec once
  // isConfigSupported has answered: enabled, or disabled with the reason in its title.
  const verdict = async (name: string) => {
    await page.getByRole('button', { name }).waitFor({ timeout: 120_000 });
    const handle = await page.waitForFunction(
      (n) => {
        const b = [...document.querySelectorAll('button')].find((x) => x.textContent === n);
        return b && !b.title.startsWith('checking') ? { enabled: !b.disabled, title: b.title } : null;
      },
      name,
      { timeout: 60_000 },
    );
    return (await handle.jsonValue()) as { enabled: boolean; title: string };
  };
  const video = async (name: string, ext: string) => {
    const button = page.getByRole('button', { name });
    const download = page.waitForEvent('download', { timeout: 240_000 });
    await button.click();
    const d = await download;
    expect(d.suggestedFilename()).toMatch(new RegExp(`movie-W100-S20-20nm\\.${ext}$`));
    return new Uint8Array(readFileSync((await d.path())!));
  };
  // VP9 is in every Chromium (libvpx); H.264 depends on the build (Debian's has OpenH264).
  expect(await verdict('WebM video')).toMatchObject({ enabled: true });
  const webmBytes = await video('WebM video', 'webm');
  expect(Array.from(webmBytes.subarray(0, 4))).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
  const webm = readWebm(webmBytes);
  console.info(`webm: ${webmBytes.length} B, ${JSON.stringify({ ...webm, timesMs: webm.timesMs.length })}`);
  expect(webm.blocks).toBe(EXPECTED);
  // Matroska time codes are integers of TimecodeScale (1 ms here): frame i starts at i/fps
  // rounded to the tick — no drift, no gap, no duplicate — and each frame lasts 1/fps to the
  // nanosecond (DefaultDuration). Duration is the last frame's end, so within one tick of
  // frames/fps (41/30 s = 1366.67 ms cannot be written in whole ms).
  const tick = webm.timecodeScaleNs / 1e6;
  expect(webm.timesMs).toEqual(
    Array.from({ length: EXPECTED }, (_, i) => Math.round((i * 1000) / fps / tick) * tick),
  );
  expect(webm.defaultDurationNs).toBe(Math.floor(1e9 / fps));
  expect(webm.infoDurationMs).not.toBeNull();
  expect(Math.abs((webm.infoDurationMs ?? 0) - (EXPECTED / fps) * 1000)).toBeLessThan(tick);

  const mp4Verdict = await verdict('MP4 video');
  if (!mp4Verdict.enabled) {
    // A browser without an H.264 encoder must say so on the button, not fail on click.
    expect(mp4Verdict.title).toMatch(/cannot write H\.264/);
    console.warn(`MP4 NOT TESTED: ${mp4Verdict.title}`);
  } else {
    const mp4Bytes = await video('MP4 video', 'mp4');
    const mp4 = readMp4(mp4Bytes);
    console.info(
      `mp4: ${mp4Bytes.length} B, ${JSON.stringify({ ...mp4, sampleDeltas: mp4.sampleDeltas.length })}`,
    );
    expect(mp4.codec).toBe('avc1');
    expect(mp4.sampleDeltas.length).toBe(EXPECTED);
    // MP4 keeps rational time: every sample lasts timescale/fps ticks, the track frames/fps exactly.
    expect(new Set(mp4.sampleDeltas)).toEqual(new Set([mp4.mediaTimescale / fps]));
    expect(mp4.mediaDuration * fps).toBe(EXPECTED * mp4.mediaTimescale);
    expect(mp4.movieDurationS).toBeCloseTo(EXPECTED / fps, 9);
  }

  // The EV layer (the demo's second channel) defaults to the mean of the S frames of the step.
  await page.getByRole('tab', { name: 'Movie' }).click();
  const evMode = page.getByLabel('EV layer frames');
  await evMode.waitFor({ timeout: 120_000 });
  expect(await evMode.inputValue()).toBe('mean');
  expect(await evMode.isEnabled()).toBe(true);
  await page.waitForTimeout(500);
  await page.screenshot({ path: '/tmp/movie-stream.png' });
  await evMode.selectOption('raw');
  expect(s.errors).toEqual([]);
});
