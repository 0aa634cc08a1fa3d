// The registration worker's API over a real MessageChannel, through the engine's backend and the
// store as the page uses them: a simulated two-channel stack of isolated emitters whose second
// camera sees the sample through a known similarity transform is localized frame by frame in
// both channels, and the fitted channel-1 → channel-0 map must be the inverse of the simulator's.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Affine6, fromSimAffine, invertAffine6 } from '../../src/core/registration/affine6';
import { similarityAffine } from '../../src/core/sim/geometry';
import { presetParams } from '../../src/core/sim/presets';
import { type RegistrationBackend, registrationBackend } from '../../src/engine/registrationService';
import { createRegistrationStore, describeSource } from '../../src/state/registrationStore';
import {
  type ChannelFit,
  createRegistrationApi,
  type RegistrationApi,
  type RegistrationFitRequest,
} from '../../workers/registration.api';
import type { StackRecipe } from '../../workers/stackRecipe';
import { fixedWorker } from '../helpers/fixedWorker';

function twoChannelBeads(frames: number) {
  const p = presetParams('isolated');
  p.frames = frames;
  p.seed = 4;
  p.scene = {
    kind: 'isolated',
    emittersPerFrame: 12,
    layout: 'random',
    minSeparationNm: 1200,
    marginNm: 700,
  };
  const c1 = structuredClone(p.channels[0]);
  c1.name = 'beads 2';
  c1.psfSigmaNm = 150;
  // Channel 0 → channel 1: scale 1.003, 0.6°, shift (90, −140) nm about the field centre.
  c1.transform = similarityAffine(1.003, 0.6, 90, -140, 3200, 3200);
  p.channels.push(c1);
  return p;
}

const sim = twoChannelBeads(60);
const recipe: StackRecipe = { kind: 'simulated', params: sim };
const truth = invertAffine6(fromSimAffine(sim.channels[1].transform));

function request(overrides: Partial<RegistrationFitRequest> = {}): RegistrationFitRequest {
  return {
    recipe,
    frames: { start: 0, count: 60 },
    mode: 'frames',
    localize: { pixelSizeNm: 100, thresholdFactor: 2, camera: { offsetAdu: 100, electronsPerAdu: 1 } },
    sigmaNm: [130, 150],
    ...overrides,
  };
}

/** Largest distance over the field between where `fit` and `truth` send a point, nm. */
function fieldError(fit: Affine6, t: Affine6): number {
  let worst = 0;
  for (let i = 0; i <= 8; i++)
    for (let j = 0; j <= 8; j++) {
      const x = 700 + (i / 8) * 5000;
      const y = 700 + (j / 8) * 5000;
      const dx = fit[0] * x + fit[1] * y + fit[2] - (t[0] * x + t[1] * y + t[2]);
      const dy = fit[3] * x + fit[4] * y + fit[5] - (t[3] * x + t[4] * y + t[5]);
      worst = Math.max(worst, Math.hypot(dx, dy));
    }
  return worst;
}

let backend: RegistrationBackend;
let ports: MessagePort[];

beforeAll(() => {
  const { port1, port2 } = new MessageChannel();
  ports = [port1, port2];
  Comlink.expose(createRegistrationApi(), port1 as unknown as Comlink.Endpoint);
  const remote = Comlink.wrap<RegistrationApi>(port2 as unknown as Comlink.Endpoint);
  backend = registrationBackend(fixedWorker(remote));
});
afterAll(() => {
  for (const p of ports) p.close();
});

describe('registration worker', () => {
  test('recovers the simulator channel transform (as its inverse: channel 1 → channel 0) from frames', async () => {
    const progress: number[] = [];
    const r = await backend.fit(request(), (p) => progress.push(p.done / p.total));
    expect(r.channels).toHaveLength(1);
    const f = r.channels[0] as ChannelFit;
    expect('error' in f).toBe(false);
    // 60 frames × 12 emitters, each a pair of its own.
    expect(f.pairs).toBeGreaterThan(600);
    expect(f.outliers).toBeLessThan(15);
    // 1000 photons, 10 bg/px: ≈ 6 nm per axis per channel → ≈ 12 nm total per pair.
    expect(f.rms).toBeGreaterThan(6);
    expect(f.rms).toBeLessThan(16);
    expect(f.looRms).toBeLessThan(16);
    expect(fieldError(f.toReference, truth)).toBeLessThan(3);
    // The wrong direction (the simulator's own map) is ~140 nm off.
    expect(fieldError(f.toReference, fromSimAffine(sim.channels[1].transform))).toBeGreaterThan(150);
    expect(f.beads.residualX.length).toBe(f.pairs);
    // Progress arrives over the callback's own channel: let its last message in.
    await new Promise((r) => setTimeout(r, 50));
    expect(progress.at(-1)).toBe(1);
  });

  test('a mean projection of static beads registers too; a one-channel stack is refused', async () => {
    // Static beads: continuous emitters never move, so each frame's emitters are the same.
    const p = twoChannelBeads(1);
    const r = await backend.fit(
      request({ recipe: { kind: 'simulated', params: p }, frames: { start: 0, count: 1 }, mode: 'mean' }),
      () => {},
    );
    const f = r.channels[0] as ChannelFit;
    expect(f.pairs).toBeGreaterThanOrEqual(10);
    expect(fieldError(f.toReference, invertAffine6(fromSimAffine(p.channels[1].transform)))).toBeLessThan(25);
    const one = presetParams('isolated');
    await expect(
      backend.fit(request({ recipe: { kind: 'simulated', params: one } }), () => {}),
    ).rejects.toThrow(/one channel/);
  });

  test('the store keeps the fit per stack and channel with its provenance; cancel keeps the old one', async () => {
    const store = createRegistrationStore(() => backend);
    const source = {
      kind: 'frames' as const,
      stackName: 'beads.tif',
      frames: { start: 0, count: 60 },
      mode: 'frames' as const,
    };
    const regs = await store.getState().runFit(3, request(), source);
    expect(regs).toHaveLength(1);
    const reg = store.getState().byStack[3][1];
    expect(reg.source).toEqual(source);
    expect(reg.stats!.pairs).toBe(reg.beads!.refX.length);
    expect(describeSource(reg.source)).toBe('from frames 1–60 of beads.tif');
    expect(store.getState().fit.status).toBe('done');
    // Plain data: a session round-trips it.
    expect(JSON.parse(JSON.stringify(store.getState().byStack))).toEqual(store.getState().byStack);
    const again = store.getState().runFit(3, request(), source);
    store.getState().cancelFit();
    expect(await again).toBeNull();
    expect(store.getState().fit.status).toBe('cancelled');
    expect(store.getState().byStack[3][1]).toBe(reg);
  });
});
