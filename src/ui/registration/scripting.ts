// window.evscope.fitRegistration / registration / setRegistration: the two-colour registration
// of the active stack from a script (and the browser tests).
import type { Affine6 } from '../../core/registration/affine6';
import { registerScripting } from '../../scripting/api';
import { activeStack, dataStore } from '../../state/dataStore';
import { type FitOptions, fitRegistration } from '../../state/registrationActions';
import { type ChannelRegistration, registrationStore } from '../../state/registrationStore';

function activeId(): number {
  const st = activeStack(dataStore.getState());
  if (!st) throw new Error('No stack is open: open a multi-channel stack first.');
  return st.info.id;
}

let registered = false;

export function registerRegistrationScripting(): void {
  if (registered) return;
  registered = true;
  registerScripting(
    'fitRegistration',
    async (opts: FitOptions = {}): Promise<ChannelRegistration[]> =>
      structuredClone(await fitRegistration(opts)),
  );
  registerScripting(
    'registration',
    (): Record<number, ChannelRegistration> =>
      structuredClone(registrationStore.getState().byStack[activeId()] ?? {}),
  );
  registerScripting('setRegistration', (channel: number, affine: Affine6) => {
    registrationStore.getState().setAffine(activeId(), channel, affine);
    return structuredClone(registrationStore.getState().byStack[activeId()][channel]);
  });
}

registerRegistrationScripting();
