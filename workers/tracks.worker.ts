import './noNetwork';
import * as Comlink from 'comlink';
import { beatWhileAlive } from './heartbeat';
import { createTracksApi } from './tracks.api';

Comlink.expose(createTracksApi());
beatWhileAlive((m) => self.postMessage(m));
