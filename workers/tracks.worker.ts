import './noNetwork';
import * as Comlink from 'comlink';
import { beatWhileAlive } from './heartbeat';
import { spawnSweepHelper } from './sweepHelper';
import { createTracksApi } from './tracks.api';

Comlink.expose(createTracksApi(undefined, spawnSweepHelper));
beatWhileAlive((m) => self.postMessage(m));
