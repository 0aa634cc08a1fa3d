import { expect, test } from 'vitest';
import { presetParams } from '../../src/core/sim/index';
import { createStackApi } from '../../workers/stack.api';
import { openRecipe } from '../../workers/stackRecipe';
import { writeTiff16 } from '../helpers/tiff';

const file = (name: string, offset: number) => ({
  name,
  blob: new Blob([
    writeTiff16({
      width: 16,
      height: 8,
      frames: 3,
      pixel: (f, x, y) => offset + f * 100 + y * 16 + x,
    }) as BlobPart,
  ]),
});

test('a derived stack reopens from its recipe in another worker with identical frames', async () => {
  const api = createStackApi();
  const a = await api.open([file('a.tif', 0)]);
  if (!a.ok) throw new Error(a.reason);
  const both = await api.addChannel(a.info.id, [file('b.tif', 5000)]);
  if (!both.ok) throw new Error(both.reason);
  expect(both.info.recipe.kind).toBe('channels');
  expect(both.info.files).toEqual(['a.tif', 'b.tif']);
  const reopened = await openRecipe(structuredClone(both.info.recipe));
  expect(reopened.channels).toBe(2);
  expect(Array.from(await reopened.readFrame(2, { channel: 1 }))[17]).toBe(5000 + 200 + 17);
});

test('a simulation is a recipe too: same parameters, same frames', async () => {
  const params = { ...presetParams('isolated'), frames: 5 };
  const api = createStackApi();
  const r = await api.openRecipe({ kind: 'simulated', params });
  if (!r.ok) throw new Error(r.reason);
  expect(r.info.meta.simulated).toBe(true);
  const again = await openRecipe({ kind: 'simulated', params: structuredClone(params) });
  const viaApi = await openRecipe(r.info.recipe);
  expect(Array.from(await again.readFrame(4))).toEqual(Array.from(await viaApi.readFrame(4)));
});
