import './noNetwork';
import * as Comlink from 'comlink';
import { beatWhileAlive } from './heartbeat';
import { createLocsQueryApi } from './locsQuery.api';

Comlink.expose(createLocsQueryApi());
beatWhileAlive((m) => self.postMessage(m));
