import './noNetwork';
import * as Comlink from 'comlink';
import { createCalciumApi } from './calcium.api';
import { heartbeat } from './heartbeat';

Comlink.expose(createCalciumApi(heartbeat((m) => self.postMessage(m))));
