// Moved to src/core/movie/params.ts (the CLI and the session schema need it below the stores).
export * from '../core/movie/params';
