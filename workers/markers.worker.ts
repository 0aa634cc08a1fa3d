import './noNetwork';
import * as Comlink from 'comlink';
import { beatWhileAlive } from './heartbeat';
import { createMarkersApi } from './markers.api';

Comlink.expose(createMarkersApi());
beatWhileAlive((m) => self.postMessage(m));
