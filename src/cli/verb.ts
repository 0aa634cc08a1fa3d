export interface Verb {
  /** Shown by `evscope <verb> --help`. */
  help: string;
  /** Returns the process exit code. */
  run(args: string[]): Promise<number>;
}
