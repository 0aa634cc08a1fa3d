import './noNetwork';
import * as Comlink from 'comlink';
import { createMarkersApi } from './markers.api';

Comlink.expose(createMarkersApi());
