// Whether this code runs from the prebuilt CLI bundle (bin/build-cli.mjs defines the constant
// there) or from the TypeScript sources (tsx, vitest, the browser build).
declare const __EVSCOPE_CLI_BUNDLE__: boolean | undefined;

export const RUNNING_FROM_CLI_BUNDLE: boolean = typeof __EVSCOPE_CLI_BUNDLE__ !== 'undefined';
