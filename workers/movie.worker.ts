import './noNetwork';
import * as Comlink from 'comlink';
import { beatWhileAlive } from './heartbeat';
import { createMovieApi } from './movie.api';
import { spawnStructuresHelper } from './structuresHelper';

Comlink.expose(createMovieApi({ transfer: Comlink.transfer, structuresHelper: spawnStructuresHelper }));
beatWhileAlive((m) => self.postMessage(m));
