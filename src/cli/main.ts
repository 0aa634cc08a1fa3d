// `npx evscope <verb> …`: each verb lives in src/cli/verbs/<verb>.ts and exports a `Verb`.
import { RUNNING_FROM_CLI_BUNDLE } from '../engine/cliBundle';
import { appVersion } from './appVersion';
import { terminalText } from './terminalText';
import type { Verb } from './verb';

const verbs: Record<string, () => Promise<{ verb: Verb }>> = {
  info: () => import('./verbs/info'),
  convert: () => import('./verbs/convert'),
  localize: () => import('./verbs/localize'),
  simulate: () => import('./verbs/simulate'),
  score: () => import('./verbs/score'),
  render: () => import('./verbs/render'),
  drift: () => import('./verbs/drift'),
  merge: () => import('./verbs/merge'),
  count: () => import('./verbs/count'),
  movie: () => import('./verbs/movie'),
  session: () => import('./verbs/session'),
  'convert-locs': () => import('./verbs/convertLocs'),
  track: () => import('./verbs/track'),
  coloc: () => import('./verbs/coloc'),
  batch: () => import('./verbs/batch'),
  aggregate: () => import('./verbs/aggregate'),
  calcium: () => import('./verbs/calcium'),
};

function usage(): string {
  const names = Object.keys(verbs).sort();
  return `usage: evscope <verb> [options]\nverbs: ${names.length ? names.join(', ') : '(none yet)'}\nRun "evscope <verb> --help" for a verb's options, "evscope --version" for the version.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    console.log(`evscope ${appVersion} (${RUNNING_FROM_CLI_BUNDLE ? 'prebuilt CLI' : 'CLI from source'})`);
    return 0;
  }
  const load = verbs[name];
  if (!load) {
    console.error(`evscope: unknown verb "${name}"\n${usage()}`);
    return 2;
  }
  const { verb } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(verb.help);
    return 0;
  }
  try {
    return await verb.run(rest);
  } catch (e) {
    // Errors from readers and kernels already name the file and the reason: print them, no stack.
    console.error(terminalText(`evscope ${name}: ${e instanceof Error ? e.message : String(e)}`));
    return 1;
  }
}
