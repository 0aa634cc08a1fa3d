import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { afterAll, describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/random';
import { createLocalizeApi, type LocalizeApi } from '../../workers/localize.api';
import { expectedImage, gridSpots, poissonImage } from '../helpers/spotImage';

const channel = new MessageChannel();
Comlink.expose(createLocalizeApi(), nodeEndpoint(channel.port1));
const api = Comlink.wrap<LocalizeApi>(nodeEndpoint(channel.port2));
afterAll(() => {
  channel.port1.close();
  channel.port2.close();
});

describe('localize worker API over a MessageChannel', () => {
  test('refuses to work before init, then localizes transferred frames and transfers columns back', async () => {
    await expect(api.localizeFrames(new Uint16Array(4), 1, 0)).rejects.toThrow(/init\(\) must be called/);
    await api.init({ width: 48, height: 40, params: { camera: { offsetAdu: 100 } } });
    const rng = new Rng(4);
    const frames = new Uint16Array(3 * 48 * 40);
    for (let f = 0; f < 3; f++) {
      const img = poissonImage(expectedImage(48, 40, gridSpots(48, 40, 12, 1000, rng), 1.3, 10), rng);
      frames.set(
        Uint16Array.from(img, (v) => v + 100),
        f * 48 * 40,
      );
    }
    const table = await api.localizeFrames(Comlink.transfer(frames, [frames.buffer]), 3, 10);
    expect(frames.length).toBe(0); // transferred, not copied
    expect(table.length).toBe(3 * 12);
    expect([...new Set(table.columns.frame)]).toEqual([10, 11, 12]);
    expect(table.columns.x).toBeInstanceOf(Float64Array);
    expect(table.columns.flags.every((f) => f === 0)).toBe(true);
  });

  test('invalid parameters are reported with their units', async () => {
    await expect(
      api.init({ width: 48, height: 40, params: { sigmaNm: 13, pixelSizeNm: 100 } }),
    ).rejects.toThrow(/0\.13 pixels of 100 nm/);
  });
});
