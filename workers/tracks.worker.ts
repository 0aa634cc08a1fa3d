import './noNetwork';
import * as Comlink from 'comlink';
import { createTracksApi } from './tracks.api';

Comlink.expose(createTracksApi());
