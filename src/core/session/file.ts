// Session files: a ShareLoc `.smlm` ZIP that any ShareLoc-aware reader opens for its
// localizations, plus evscope's own section:
//
//   manifest.json                      ShareLoc manifest; its files[] are the localization tables
//   <tableId>.bin                      localizations (raw and post-processed), packed records
//   evscope/session.json               the Session document (schema in validate.ts)
//   evscope/tables/<tableId>/<k>.bin   other result tables, one little-endian column per entry
//
// Binary tables are stored, not deflated, by default: float columns barely compress (≈ 10%) and
// DEFLATE would take seconds for millions of localizations (see bench/session.cases.ts); the
// JSON parts are deflated. Opening treats the file as hostile (see zip.ts, smlm.ts,
// validate.ts): it returns a result object and never throws, never touches the caller's data.

import { encodeSmlmTable, readSmlm, SmlmError, type SmlmTableOut, smlmManifest } from '../io/smlm';
import {
  concatParts,
  type ZipArchive,
  ZipError,
  type ZipLimits,
  type ZipWriteEntry,
  zipLimitsFor,
  zipParts,
} from '../io/zip';
import type { ColumnArray } from '../locs/table';
import { fingerprintBytes } from './fingerprint';
import {
  bytesPerElement,
  columnFromBytes,
  createSession,
  describeTables,
  dtypeOf,
  type Session,
  type SessionTable,
  type TableInfo,
  tableFromInfo,
} from './model';
import { cleanText } from './schema';
import { validateSession } from './validate';

export const SESSION_ENTRY = 'evscope/session.json';

/** Error name for "the autosave store cannot be opened" (private mode, no IndexedDB); names cross comlink. */
export const STORAGE_UNAVAILABLE = 'StorageUnavailableError';
const LOC_KINDS = new Set(['localizations', 'localizations-post']);
const MAX_SESSION_JSON = 64 << 20;

export interface SaveSessionOptions {
  /** DEFLATE level for binary tables: 0 = store (default, fastest), 1–9 = smaller but slower. */
  tableLevel?: number;
  /** ZIP entry times (default: the session's `modified`). */
  modified?: Date;
}

function columnBytes(c: ColumnArray): Uint8Array {
  return new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
}

function checkTables(tables: readonly SessionTable[]): void {
  for (const t of tables) {
    for (const [name, c] of Object.entries(t.columns)) {
      if (c.length !== t.length)
        throw new Error(`table "${t.id}": column "${name}" has ${c.length} rows, expected ${t.length}`);
    }
  }
}

/**
 * The session file as ZIP parts (hand them to `new Blob(parts)` or a file stream without joining
 * them). The session is re-validated with the tables' descriptions; a document that would not
 * open again is refused here with the reasons.
 */
export function sessionFileParts(
  session: Session,
  tables: readonly SessionTable[],
  options: SaveSessionOptions = {},
): Uint8Array[] {
  checkTables(tables);
  const full = { ...session, tables: describeTables(tables) };
  const checked = validateSession(full);
  if (!checked.ok) throw new Error(`the session cannot be saved: ${checked.errors.slice(0, 5).join('; ')}`);
  const level = options.tableLevel ?? 0;
  const encoded: SmlmTableOut[] = [];
  const entries: ZipWriteEntry[] = [];
  for (const t of tables) {
    if (LOC_KINDS.has(t.kind)) {
      encoded.push(
        encodeSmlmTable(t, {
          file: `${t.id}.bin`,
          formatName: `smlm-table(binary)-${t.id}`,
          channel: t.name || t.id,
          units: t.units,
          extra: { evscope_table: t.id },
        }),
      );
    } else {
      Object.values(t.columns).forEach((c, k) => {
        entries.push({ name: `evscope/tables/${t.id}/${k}.bin`, data: columnBytes(c), level });
      });
    }
  }
  const manifest = smlmManifest(encoded, {
    name: session.title || 'evscope session',
    description: session.notes.slice(0, 2000),
    date: session.modified,
    evscope: { session: SESSION_ENTRY, version: session.version, app: session.app.version },
  });
  const enc = new TextEncoder();
  return zipParts(
    [
      { name: 'manifest.json', data: enc.encode(JSON.stringify(manifest, null, 1)), level: 6 },
      ...encoded.map((e) => ({ name: e.file, data: e.bytes, level })),
      { name: SESSION_ENTRY, data: enc.encode(JSON.stringify(checked.session)), level: 6 },
      ...entries,
    ],
    options.modified ?? new Date(session.modified),
  );
}

/** The session file as one buffer (see sessionFileParts). */
export function saveSessionFile(
  session: Session,
  tables: readonly SessionTable[],
  options?: SaveSessionOptions,
): Uint8Array {
  return concatParts(sessionFileParts(session, tables, options));
}

export interface OpenSessionOptions {
  /** Shown in messages; also the input name of a plain .smlm. */
  fileName?: string;
  limits?: ZipLimits;
  /** App version recorded when a plain .smlm becomes a session. */
  appVersion?: string;
}

export type OpenSessionResult =
  | {
      ok: true;
      session: Session;
      tables: SessionTable[];
      /** 'evscope' = a full session; 'smlm' = a ShareLoc file (localizations only). */
      source: 'evscope' | 'smlm';
      warnings: string[];
    }
  | { ok: false; errors: string[] };

class SessionFileError extends Error {}

function readColumnar(archive: ZipArchive, info: TableInfo, where: string): SessionTable {
  const columns: Record<string, ColumnArray> = {};
  const units: Record<string, string> = {};
  info.columns.forEach((c, k) => {
    const name = `evscope/tables/${info.id}/${k}.bin`;
    const e = archive.entries.get(name);
    if (!e) throw new SessionFileError(`${where}: column "${c.name}" (${name}) is missing`);
    const need = info.rows * bytesPerElement(c.dtype);
    if (e.size !== need)
      throw new SessionFileError(
        `${where}: column "${c.name}" holds ${e.size} bytes, ${info.rows} ${c.dtype} rows need ${need}`,
      );
    columns[c.name] = columnFromBytes(c.dtype, archive.read(name));
    units[c.name] = c.unit;
  });
  return tableFromInfo(info, columns, units);
}

/**
 * Opens a session file — evscope's own (the full session) or any ShareLoc `.smlm` (a session
 * holding its localizations). Never throws; on failure the errors name the file, the part and
 * the reason, and nothing the caller holds has changed.
 */
export function openSessionFile(bytes: Uint8Array, options: OpenSessionOptions = {}): OpenSessionResult {
  const file = options.fileName ?? 'session file';
  try {
    return openInner(bytes, options, file);
  } catch (e) {
    if (e instanceof SmlmError) return { ok: false, errors: [e.message] };
    if (e instanceof SessionFileError || e instanceof ZipError)
      return { ok: false, errors: [`${file}: ${e.message}`] };
    if (e instanceof RangeError)
      return { ok: false, errors: [`${file}: too large to open here (${e.message})`] };
    return {
      ok: false,
      errors: [`${file}: could not be read (${e instanceof Error ? e.message : String(e)})`],
    };
  }
}

function openInner(bytes: Uint8Array, options: OpenSessionOptions, file: string): OpenSessionResult {
  const contents = readSmlm(bytes, { fileName: file, limits: options.limits ?? zipLimitsFor(bytes.length) });
  const { archive } = contents;
  const warnings = [...contents.warnings];
  const own = archive.entries.get(SESSION_ENTRY);
  if (!own) return fromPlainSmlm(bytes, contents.tables, warnings, options, file);
  if (own.size > MAX_SESSION_JSON)
    throw new SessionFileError(`${SESSION_ENTRY} is larger than ${MAX_SESSION_JSON} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(archive.read(SESSION_ENTRY, MAX_SESSION_JSON)),
    );
  } catch (e) {
    if (e instanceof ZipError) throw e;
    throw new SessionFileError(`${SESSION_ENTRY} is not valid JSON (${(e as Error).message.slice(0, 120)})`);
  }
  const v = validateSession(json);
  if (!v.ok) return { ok: false, errors: v.errors.map((m) => `${file}: ${SESSION_ENTRY}: ${m}`) };
  const session = v.session;
  const tables: SessionTable[] = [];
  session.tables.forEach((info, k) => {
    const where = `${SESSION_ENTRY}: tables[${k}] "${info.id}"`;
    if (!LOC_KINDS.has(info.kind)) {
      tables.push(readColumnar(archive, info, where));
      return;
    }
    const t = contents.tables.find((x) => x.info.evscope_table === info.id);
    if (!t) throw new SessionFileError(`${where}: no localization table "${info.id}.bin" in manifest.json`);
    const cols = Object.values(t.table.columns);
    if (t.table.length !== info.rows || cols.length !== info.columns.length)
      throw new SessionFileError(
        `${where}: manifest table has ${t.table.length} rows × ${cols.length} columns, session.json says ${info.rows} × ${info.columns.length}`,
      );
    const columns: Record<string, ColumnArray> = {};
    const units: Record<string, string> = {};
    info.columns.forEach((c, j) => {
      if (dtypeOf(cols[j]) !== c.dtype)
        throw new SessionFileError(
          `${where}: column "${c.name}" is ${dtypeOf(cols[j])} in the manifest, ${c.dtype} in session.json`,
        );
      columns[c.name] = cols[j];
      units[c.name] = c.unit;
    });
    tables.push(tableFromInfo(info, columns, units));
  });
  return { ok: true, session, tables, source: 'evscope', warnings };
}

function fromPlainSmlm(
  bytes: Uint8Array,
  found: ReturnType<typeof readSmlm>['tables'],
  warnings: string[],
  options: OpenSessionOptions,
  file: string,
): OpenSessionResult {
  if (found.length === 0) throw new SessionFileError('the file holds no localization table');
  const baseName = cleanText(file.replace(/^.*[\\/]/, ''), 512) || 'file.smlm';
  const session = createSession({
    appVersion: options.appVersion ?? 'unknown',
    title: baseName.slice(0, 200),
    inputs: [
      {
        id: 'in1',
        name: baseName,
        size: bytes.length,
        fingerprint: fingerprintBytes(bytes),
        role: 'localizations',
      },
    ],
  });
  const tables: SessionTable[] = found.map((t, k) => {
    const columns: Record<string, ColumnArray> = {};
    const units: Record<string, string> = {};
    for (const [name, c] of Object.entries(t.table.columns)) {
      const clean = cleanText(name, 64) || `column${Object.keys(columns).length}`;
      columns[clean] = c;
      units[clean] = cleanText(t.units[name] ?? '', 32);
    }
    return {
      id: `loc${k + 1}`,
      name: `${cleanText(t.channel, 100)} (${cleanText(t.file, 80)})`,
      kind: 'localizations' as const,
      length: t.table.length,
      columns,
      units,
    };
  });
  const v = validateSession({ ...session, tables: describeTables(tables) });
  if (!v.ok) return { ok: false, errors: v.errors.map((m) => `${file}: ${m}`) };
  return { ok: true, session: v.session, tables, source: 'smlm', warnings };
}
