import './noNetwork';
import * as Comlink from 'comlink';
import { createDistanceSweepApi } from './distanceSweep.api';

Comlink.expose(createDistanceSweepApi());
