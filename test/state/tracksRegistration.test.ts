// EV tracks are measured in channel-0 coordinates: the tracks step takes the EV channel's
// registration from the registration step.
import { afterEach, expect, test } from 'vitest';
import { registrationStore } from '../../src/state/registrationStore';
import { registeredEvAffine } from '../../src/state/tracksStore';

afterEach(() => registrationStore.getState().forget(7));

test('identity until a registration is set, then the EV channel → channel 0 affine', () => {
  expect(registeredEvAffine(7, 1)).toBeNull();
  registrationStore.getState().setAffine(7, 1, [1, 0, 35, 0, 1, -20]);
  expect(registeredEvAffine(7, 1)).toEqual({ a: 1, b: 0, c: 35, d: 0, e: 1, f: -20 });
  expect(registeredEvAffine(7, 0)).toBeNull();
});
