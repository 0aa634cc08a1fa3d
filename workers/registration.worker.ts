import './noNetwork';
import * as Comlink from 'comlink';
import { beatWhileAlive } from './heartbeat';
import { createRegistrationApi } from './registration.api';

Comlink.expose(createRegistrationApi());
beatWhileAlive((m) => self.postMessage(m));
