import './noNetwork';
import * as Comlink from 'comlink';
import { createRenderApi } from './render.api';

Comlink.expose(createRenderApi());
