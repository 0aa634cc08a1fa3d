import './noNetwork';
import * as Comlink from 'comlink';
import { createMovieApi } from './movie.api';

Comlink.expose(createMovieApi({ transfer: Comlink.transfer }));
