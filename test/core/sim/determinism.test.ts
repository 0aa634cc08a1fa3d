import { describe, expect, test } from 'vitest';
import { presetParams } from '../../../src/core/sim/presets';
import { simulate } from '../../../src/core/sim/simulate';

function small() {
  const p = presetParams('demo');
  p.width = 48;
  p.height = 40;
  p.frames = 60;
  return p;
}

describe('determinism', () => {
  test('same seed → identical truth and frames; random access equals sequential reads', async () => {
    const a = simulate(small());
    const b = simulate(small());
    expect(a.truth.events.length).toBeGreaterThan(0);
    expect(b.truth.events.columns.x).toEqual(a.truth.events.columns.x);
    expect(b.truth.events.columns.photons).toEqual(a.truth.events.columns.photons);
    const sequential: Uint16Array[] = [];
    for (let k = 0; k < 60; k++) sequential.push(await a.stack.readFrame(k, { channel: 1 }));
    for (const k of [59, 3, 31, 0, 31]) {
      expect(await b.stack.readFrame(k, { channel: 1 })).toEqual(sequential[k]);
      expect(await a.stack.readFrame(k, { channel: 1 })).toEqual(sequential[k]);
    }
    const buf = new Uint16Array(48 * 40);
    a.stack.renderFrameInto(7, 0, buf);
    expect(await b.stack.readFrame(7)).toEqual(buf);
  });

  test('a different seed or channel gives different noise', async () => {
    const p = small();
    const a = simulate(p);
    const q = small();
    q.seed += 1;
    const b = simulate(q);
    expect(await b.stack.readFrame(5)).not.toEqual(await a.stack.readFrame(5));
    expect(await a.stack.readFrame(5, { channel: 1 })).not.toEqual(
      await a.stack.readFrame(5, { channel: 0 }),
    );
  });

  test('out-of-range frames and channels are errors, and aborted reads reject', async () => {
    const a = simulate(small());
    await expect(a.stack.readFrame(60)).rejects.toThrow(/frame 60 is outside 0–59/);
    await expect(a.stack.readFrame(0, { channel: 2 })).rejects.toThrow(/channel 2/);
    const c = new AbortController();
    c.abort();
    await expect(a.stack.readFrame(0, { signal: c.signal })).rejects.toThrow();
    expect(a.stack.meta.simulated).toBe(true);
    expect(a.stack.meta.channelNames).toHaveLength(2);
  });
});
