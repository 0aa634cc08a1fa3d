import './noNetwork';
import * as Comlink from 'comlink';
import { beatWhileAlive } from './heartbeat';
import { createRenderApi } from './render.api';

Comlink.expose(createRenderApi());
beatWhileAlive((m) => self.postMessage(m));
