// Ground truth through the stack worker's API over a real MessageChannel: the worker that
// simulated a stack hands out its emission events and scores localizations against them.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { locTableFromColumns } from '../../src/core/locs/table';
import { crlbForChannel } from '../../src/core/score/crlb';
import { presetParams, simulate } from '../../src/core/sim/index';
import { createStackApi, type StackApi, type StackInfo } from '../../workers/stack.api';
import { writeTiff16 } from '../helpers/tiff';

let api: Comlink.Remote<StackApi>;
let ports: MessagePort[];

beforeAll(() => {
  const { port1, port2 } = new MessageChannel();
  ports = [port1, port2];
  Comlink.expose(createStackApi({ transfer: Comlink.transfer }), port1 as unknown as Comlink.Endpoint);
  api = Comlink.wrap<StackApi>(port2 as unknown as Comlink.Endpoint);
});
afterAll(() => {
  for (const p of ports) p.close();
});

const dstorm = presetParams('dstorm');
const params = {
  ...dstorm,
  width: 64,
  height: 64,
  frames: 120,
  scene: { ...dstorm.scene, evCount: 10 } as typeof dstorm.scene,
};
const reference = simulate(params).truth.events;

async function openSim(): Promise<StackInfo> {
  const r = await api.openRecipe({ kind: 'simulated', params }, 1);
  if (!r.ok) throw new Error(r.reason);
  return r.info;
}

describe('ground truth in the stack worker', () => {
  test('truth events of a frame range are the simulation’s own, as typed columns', async () => {
    const info = await openSim();
    await expect(api.hasGroundTruth(info.id)).resolves.toBe(true);
    const t = await api.truthEvents(info.id, 0, { start: 10, end: 40 });
    expect(t.frame).toBeInstanceOf(Uint32Array);
    expect(t.x).toBeInstanceOf(Float64Array);
    const c = reference.columns;
    const rows = Array.from(c.frame.keys()).filter(
      (i) => c.channel[i] === 0 && c.frame[i] >= 10 && c.frame[i] < 40,
    );
    expect(t.length).toBe(rows.length);
    expect(t.length).toBeGreaterThan(0);
    expect(Array.from(t.x)).toEqual(rows.map((i) => c.x[i]));
    expect(Array.from(t.photons)).toEqual(rows.map((i) => c.photons[i]));
    expect(Math.min(...t.frame)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...t.frame)).toBeLessThan(40);
    const all = await api.truthEvents(info.id);
    expect(all.length).toBe(reference.length);
  });

  test('scoring: truth + known offset and false positives give the expected metrics', async () => {
    const info = await openSim();
    const t = await api.truthEvents(info.id, 0);
    // Drop every 4th emission (missed), shift the rest by (+7, −4) nm, add 5 false positives.
    const keep = Array.from({ length: t.length }, (_, i) => i).filter((i) => i % 4 !== 3);
    const locs = locTableFromColumns({
      frame: Uint32Array.from([...keep.map((i) => t.frame[i]), 0, 1, 2, 3, 4]),
      x: Float64Array.from([...keep.map((i) => t.x[i] + 7), 10, 10, 10, 10, 10]),
      y: Float64Array.from([...keep.map((i) => t.y[i] - 4), 10, 10, 10, 10, 10]),
    });
    const buffers = Object.values(locs.columns).map((c) => c.buffer);
    const r = await api.scoreAgainstTruth(info.id, Comlink.transfer(locs, buffers), { toleranceNm: 250 });
    expect(r.tp).toBe(keep.length);
    expect(r.fn).toBe(t.length - keep.length);
    expect(r.fp).toBe(5);
    expect(r.biasX).toBeCloseTo(7, 6);
    expect(r.biasY).toBeCloseTo(-4, 6);
    expect(r.rmse).toBeCloseTo(Math.hypot(7, 4), 6);
    expect(r.crlbNominal.lateral).toBeCloseTo(crlbForChannel(params, 0).lateral, 9);
    expect(r.rmseOverCrlb).toBeCloseTo(r.rmse / r.crlbMatched.lateral, 9);
    // Small arrays for the plots, not the matches themselves.
    expect(r.histX.counts.length).toBe(41);
    expect(r.scatter.error.length).toBeLessThanOrEqual(1500);
    expect('matches' in r).toBe(false);
    // The locs were transferred, not copied.
    expect(locs.columns.x.length).toBe(0);
  });

  test('frame range and a tighter tolerance change the score', async () => {
    const info = await openSim();
    const t = await api.truthEvents(info.id, 0, { start: 0, end: 60 });
    const locs = () =>
      locTableFromColumns({ frame: t.frame.slice(), x: t.x.map((v) => v + 30), y: t.y.slice() });
    const whole = await api.scoreAgainstTruth(info.id, locs());
    const first = await api.scoreAgainstTruth(info.id, locs(), { frames: { start: 0, end: 60 } });
    expect(first.recall).toBe(1);
    expect(whole.recall).toBeLessThan(1);
    const tight = await api.scoreAgainstTruth(info.id, locs(), {
      frames: { start: 0, end: 60 },
      toleranceNm: 20,
    });
    expect(tight.tp).toBe(0);
  });

  test('stacks without truth and missing channels are refused with a reason', async () => {
    const r = await api.open(
      [
        {
          name: 'plain.tif',
          blob: new Blob([
            writeTiff16({ width: 8, height: 8, frames: 2, pixel: () => 1 }) as Uint8Array<ArrayBuffer>,
          ]),
        },
      ],
      2,
    );
    if (!r.ok) throw new Error(r.reason);
    await expect(api.hasGroundTruth(r.info.id)).resolves.toBe(false);
    await expect(api.truthEvents(r.info.id)).rejects.toThrow(/no ground truth/);
    const sim = await openSim();
    await expect(api.truthEvents(sim.id, 3)).rejects.toThrow(/channel 3 does not exist/);
  });

  test('a channel column selects the rows of the compared channel', async () => {
    const info = await openSim();
    const t = await api.truthEvents(info.id, 0, { start: 0, end: 30 });
    const n = t.length;
    const locs = locTableFromColumns({
      frame: Uint32Array.from([...t.frame, ...t.frame]),
      x: Float64Array.from([...t.x, ...t.x]),
      y: Float64Array.from([...t.y, ...t.y]),
      // The second copy claims channel 1: not compared with channel 0's truth.
      channel: Uint8Array.from([...new Array(n).fill(0), ...new Array(n).fill(1)]),
    });
    const r = await api.scoreAgainstTruth(info.id, locs, { frames: { start: 0, end: 30 } });
    expect(r.locCount).toBe(n);
    expect(r.jaccard).toBe(1);
  });
});
