import './noNetwork';
import * as Comlink from 'comlink';
import { createRegistrationApi } from './registration.api';

Comlink.expose(createRegistrationApi());
