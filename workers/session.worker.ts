import './noNetwork';
import * as Comlink from 'comlink';
import { beatWhileAlive } from './heartbeat';
import { createSessionApi } from './session.api';

Comlink.expose(createSessionApi());
beatWhileAlive((m) => self.postMessage(m));
