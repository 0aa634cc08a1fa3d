import './noNetwork';
import * as Comlink from 'comlink';
import { createStackApi } from './stack.api';

Comlink.expose(createStackApi({ transfer: Comlink.transfer }));
