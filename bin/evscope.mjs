#!/usr/bin/env node
// The CLI is TypeScript that shares src/core with the browser; tsx compiles it on the fly so
// `npm install` is all a user needs (Node 20 cannot run .ts itself).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
