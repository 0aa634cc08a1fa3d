// The session the workbench is in: its identity (the autosave key), title and notes, whether it
// is a received file under review, the last captured document (for the provenance summary),
// stacks whose raw files are not attached, and the autosave status the status bar shows.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { AutosaveEntry } from '../../workers/session.api';
import type { Session } from '../core/session/index';
import type { RestoreReport } from './sessionCapture';

export type SessionMode = 'edit' | 'review';

export interface AutosaveStatus {
  state: 'idle' | 'saving' | 'saved' | 'failed' | 'unavailable';
  /** ISO time of the last successful save. */
  at: string | null;
  bytes: number;
  /** Bytes the last save wrote: only the records that changed. */
  written?: number;
  error: string | null;
}

export interface SessionState {
  id: string;
  title: string;
  notes: string;
  /** ISO creation time of this session (kept across saves, forks get a new one). */
  created: string;
  mode: SessionMode;
  /** The file a reviewed session came from. */
  sourceName: string | null;
  /** The document as last captured or opened. */
  doc: Session | null;
  missing: RestoreReport['missing'];
  autosave: AutosaveStatus;
  /** Set after a reload brought the last session back (the status bar offers "Start fresh"). */
  restoredAt: string | null;
  recent: AutosaveEntry[];
  set(p: Partial<SessionState>): void;
}

export function newSessionId(): string {
  return `s${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0')}`;
}

/** A new, empty session (the start, and "New session"). */
export function freshSession(): Omit<SessionState, 'recent' | 'set'> {
  return {
    id: newSessionId(),
    title: '',
    notes: '',
    created: new Date().toISOString(),
    mode: 'edit',
    sourceName: null,
    doc: null,
    missing: [],
    autosave: { state: 'idle', at: null, bytes: 0, error: null },
    restoredAt: null,
  };
}

export const sessionStore = createStore<SessionState>()((set) => ({
  ...freshSession(),
  recent: [],
  set: (p) => set(p),
}));

export const useSession = <T>(sel: (s: SessionState) => T): T => useStore(sessionStore, sel);
