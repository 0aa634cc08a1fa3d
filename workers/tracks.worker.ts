import './noNetwork';
import * as Comlink from 'comlink';
import { spawnSweepHelper } from './sweepHelper';
import { createTracksApi } from './tracks.api';

Comlink.expose(createTracksApi(undefined, spawnSweepHelper));
