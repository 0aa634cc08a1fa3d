// The session API the UI, the scripting API and the CLI call (see file.ts for the file layout).

export {
  type OpenSessionOptions,
  type OpenSessionResult,
  openSessionFile,
  type SaveSessionOptions,
  SESSION_ENTRY,
  STORAGE_UNAVAILABLE,
  saveSessionFile,
  sessionFileParts,
} from './file';
export {
  blobRangeReader,
  FINGERPRINT_PATTERN,
  fingerprintBytes,
  fingerprintFile,
  type RangeReader,
} from './fingerprint';
export { migrateSession, sessionVersion } from './migrate';
export {
  type CreateSessionOptions,
  createSession,
  DEFAULT_VIEW,
  type Dtype,
  describeTables,
  type FingerprintMatch,
  matchInput,
  type RecipeJson,
  SESSION_FORMAT,
  SESSION_VERSION,
  type Session,
  type SessionInput,
  type SessionInputResults,
  type SessionStack,
  type SessionTable,
  type TableInfo,
  type TableKind,
  type ViewState,
} from './model';
export { checkedJson, type Json, plainJson } from './schema';
export { registerStepSchema, SESSION_LIMITS, type ValidationResult, validateSession } from './validate';
