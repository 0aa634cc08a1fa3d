import * as Comlink from 'comlink';
import { createLocalizeApi } from './localize.api';

Comlink.expose(createLocalizeApi());
