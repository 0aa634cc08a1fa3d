// The registration store's helpers and their direction conventions, with an asymmetric affine
// (shear + rotation + shift, so any transposition or sign slip shows): toReference maps channel
// c onto channel 0, referenceToChannel is its inverse, workers get the same six numbers.
import { describe, expect, test } from 'vitest';
import {
  type Affine6,
  describeAffine6,
  fromSimAffine,
  invertAffine6,
} from '../../src/core/registration/affine6';
import { similarityAffine } from '../../src/core/sim/geometry';
import {
  channelToReference,
  createRegistrationStore,
  hasRegistration,
  referenceToChannel,
  registrationAffines,
  registrationKey,
  registrationLabel,
  registrationSnapshot,
} from '../../src/state/registrationStore';

const T: Affine6 = [1.01, 0.02, 150, -0.015, 0.995, -80];

function store() {
  return createRegistrationStore(() => {
    throw new Error('no worker in this test');
  });
}

describe('registration store', () => {
  test('channel → reference applies the stored affine; reference → channel undoes it', () => {
    const s = store();
    s.getState().setAffine(5, 1, T);
    const snap = s.getState();
    const [x, y] = channelToReference(5, 1, snap)(1000, 2000);
    expect(x).toBeCloseTo(1.01 * 1000 + 0.02 * 2000 + 150, 9);
    expect(y).toBeCloseTo(-0.015 * 1000 + 0.995 * 2000 - 80, 9);
    const back = referenceToChannel(5, 1, snap)(x, y);
    expect(back[0]).toBeCloseTo(1000, 9);
    expect(back[1]).toBeCloseTo(2000, 9);
    // Channel 0, unregistered channels and unknown stacks are identity, exactly.
    expect(channelToReference(5, 0, snap)(1.5, 2.5)).toEqual([1.5, 2.5]);
    expect(channelToReference(5, 2, snap)(1.5, 2.5)).toEqual([1.5, 2.5]);
    expect(referenceToChannel(9, 1, snap)(1.5, 2.5)).toEqual([1.5, 2.5]);
    expect(registrationAffines(5, 3, snap)).toEqual([[1, 0, 0, 0, 1, 0], T, [1, 0, 0, 0, 1, 0]]);
    expect(snap.byStack[5][1].source).toEqual({ kind: 'typed' });
  });

  test('the simulator’s channel map (0 → c) is undone by the registration (c → 0) of its inverse', () => {
    const sim = similarityAffine(1.002, 0.7, 60, -45, 6400, 6400);
    const s = store();
    s.getState().setAffine(1, 1, invertAffine6(fromSimAffine(sim)));
    const x0 = 1234;
    const y0 = 9876;
    const xc = sim.a * x0 + sim.b * y0 + sim.tx;
    const yc = sim.c * x0 + sim.d * y0 + sim.ty;
    const [x, y] = channelToReference(1, 1, s.getState())(xc, yc);
    expect(x).toBeCloseTo(x0, 6);
    expect(y).toBeCloseTo(y0, 6);
    const g = describeAffine6(fromSimAffine(sim), 6400, 6400);
    expect(g.tx).toBeCloseTo(60, 9);
    expect(g.ty).toBeCloseTo(-45, 9);
    expect(g.rotationDeg).toBeCloseTo(0.7, 9);
    expect(g.scale).toBeCloseTo(1.002, 9);
  });

  test('refuses singular or implausible affines with the reason, and channel 0', () => {
    const s = store();
    expect(() => s.getState().setAffine(1, 1, [0, 0, 0, 0, 0, 0])).toThrow(/singular/);
    expect(() => s.getState().setAffine(1, 1, [3, 0, 0, 0, 3, 0])).toThrow(/scales areas by 9/);
    expect(() => s.getState().setAffine(1, 1, [1, 0, Number.NaN, 0, 1, 0])).toThrow(/finite/);
    expect(() => s.getState().setAffine(1, 1, [1, 0, 0])).toThrow(/6 numbers/);
    expect(() => s.getState().setAffine(1, 0, [1, 0, 5, 0, 1, 0])).toThrow(/reference/);
    expect(s.getState().byStack).toEqual({});
  });

  test('identity, labels, keys and snapshots', () => {
    const s = store();
    expect(registrationKey(2, s.getState())).toBe('');
    s.getState().useIdentity(2, 3);
    expect(Object.keys(s.getState().byStack[2])).toEqual(['1', '2']);
    expect(hasRegistration(2, s.getState())).toBe(false);
    expect(registrationKey(2, s.getState())).toBe('');
    expect(registrationLabel(2, s.getState())).toMatch(/none/);
    s.getState().setAffine(2, 2, [1, 0, 35, 0, 1, -20]);
    expect(hasRegistration(2, s.getState())).toBe(true);
    expect(registrationKey(2, s.getState())).not.toBe('');
    expect(registrationLabel(2, s.getState())).toBe('ch3 typed by hand');
    const snap = registrationSnapshot(s.getState());
    const t = store();
    t.getState().restore(JSON.parse(JSON.stringify(snap)));
    expect(t.getState().byStack).toEqual(s.getState().byStack);
    s.getState().forget(2);
    expect(s.getState().byStack).toEqual({});
  });
});
