import './noNetwork';
import * as Comlink from 'comlink';
import { createLocsQueryApi } from './locsQuery.api';

Comlink.expose(createLocsQueryApi());
