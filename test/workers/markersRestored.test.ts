// A marker result restored from a session was never counted by this worker: re-typing it with
// new thresholds must still work from the result's own columns, and traces say why they need
// the raw frames.
import { expect, test } from 'vitest';
import { createMarkersApi } from '../../workers/markers.api';

test('a restored result re-types from its columns; traces explain they need the raw frames', () => {
  const api = createMarkersApi();
  const columns = {
    id: new Float64Array([0, 1, 2]),
    'CD9 steps': new Float64Array([3, 0, 2]),
    'CD63 steps': new Float64Array([4, 5, 0]),
  };
  const channels = [
    { name: 'CD9', role: 'marker', threshold: 1 },
    { name: 'CD63', role: 'marker', threshold: 1 },
  ] as Parameters<typeof api.reclassify>[0]['channels'];
  const r = api.reclassify({ columns, channels, method: 'steps', rename: {}, test: 'welch' });
  const codes = Array.from(r.classification.subtype);
  expect(new Set(codes).size).toBe(3);
  // Raising CD9's threshold to 3 drops CD9 from EV 2 (2 steps), so its subtype changes.
  const stricter = api.reclassify({
    columns,
    channels: [{ ...channels[0], threshold: 3 }, channels[1]],
    method: 'steps',
    rename: {},
    test: 'welch',
  });
  expect(stricter.classification.subtype[2]).not.toBe(r.classification.subtype[2]);
  expect(() => api.traces(0)).toThrow(/raw frames/);
});
