import './noNetwork';
import * as Comlink from 'comlink';
import { createSessionApi } from './session.api';

Comlink.expose(createSessionApi());
