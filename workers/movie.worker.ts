import './noNetwork';
import * as Comlink from 'comlink';
import { beatWhileAlive } from './heartbeat';
import { createMovieApi } from './movie.api';

Comlink.expose(createMovieApi({ transfer: Comlink.transfer }));
beatWhileAlive((m) => self.postMessage(m));
