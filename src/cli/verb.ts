import { type ParsedArgs, parseArgs } from './args';

export interface Verb {
  /** Shown by `evscope <verb> --help`. */
  help: string;
  /** Returns the process exit code. */
  run(args: string[]): Promise<number>;
}

/** A verb as written: its help, the flags it accepts, and a run that gets them parsed. */
export interface VerbSpec {
  help: string;
  /** Flags that take a value (`--name v` or `--name=v`). Any flag not listed is an error. */
  values: string[];
  /** Flags that stand alone (`--json`). */
  booleans?: string[];
  run(a: ParsedArgs): Promise<number>;
}

/** One place where a verb's arguments are checked against its flags before its run sees them. */
export function defineVerb({ help, values, booleans, run }: VerbSpec): Verb {
  return { help, run: async (args) => run(parseArgs(args, { values, booleans })) };
}
