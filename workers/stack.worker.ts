import './noNetwork';
import * as Comlink from 'comlink';
import { beatWhileAlive } from './heartbeat';
import { createStackApi } from './stack.api';

Comlink.expose(createStackApi({ transfer: Comlink.transfer }));
beatWhileAlive((m) => self.postMessage(m));
