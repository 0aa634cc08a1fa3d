import './noNetwork';
import * as Comlink from 'comlink';
import { createStructuresPartApi } from './structuresPart.api';

Comlink.expose(createStructuresPartApi());
