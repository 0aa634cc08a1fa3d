import './noNetwork';
import * as Comlink from 'comlink';
import { heartbeat } from './heartbeat';
import { createLocalizeApi } from './localize.api';

Comlink.expose(createLocalizeApi({ heartbeat: heartbeat((m) => self.postMessage(m)) }));
