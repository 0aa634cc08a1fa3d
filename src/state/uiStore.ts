// App chrome: theme, error messages, dialogs, worker activity.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { Activity } from '../engine/stackService';

/** Mirrors the ids in src/ui/shell/steps.tsx and centreViews.tsx (stores must not import UI). */
export const STEP_IDS = [
  'data',
  'localize',
  'post',
  'movie',
  'tracks',
  'markers',
  'calcium',
  'experiment',
  'session',
] as const;
export type StepId = (typeof STEP_IDS)[number];
/** Every centre view, for sessions and links to check a saved one against. */
export const CENTRE_VIEW_IDS = [
  'raw',
  'reconstruction',
  'movie',
  'tracks',
  'markers',
  'calcium',
  'experiment',
] as const;
export type CentreViewId = (typeof CENTRE_VIEW_IDS)[number];

export type Theme = 'dark' | 'light';

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  /** What happened, naming the file it happened to. */
  title: string;
  message: string;
  /** What to do about it. */
  hint?: string;
  /** A later notice with the same key replaces this one (and dismissKey removes it). */
  key?: string;
}

export interface NoticeOptions {
  key?: string;
  /** Auto-dismiss after this long; default: info notices time out, warnings and errors stay. */
  timeoutMs?: number;
}

export interface UiState {
  theme: Theme;
  notices: Notice[];
  shortcutsOpen: boolean;
  activity: Activity;
  activeStep: StepId;
  centreView: CentreViewId;
  /** How many times the user chose a step in the pipeline: a restore in flight yields to a choice. */
  stepPicks: number;
  setActiveStep(step: StepId): void;
  /** The user's own choice of step (the pipeline), as opposed to one made for them. */
  pickStep(step: StepId): void;
  setCentreView(view: CentreViewId): void;
  setTheme(t: Theme): void;
  toggleTheme(): void;
  notify(kind: Notice['kind'], title: string, message: string, hint?: string, opts?: NoticeOptions): void;
  dismiss(id: number): void;
  dismissKey(key: string): void;
  setShortcutsOpen(open: boolean): void;
  setActivity(a: Activity): void;
}

/** Older notices drop off (information first) so a burst of failures cannot bury the screen. */
export const MAX_NOTICES = 4;
/** How long an information notice stays; warnings and errors stay until dismissed. */
export const INFO_NOTICE_MS = 10_000;

let noticeSeq = 0;

function withNotice(list: Notice[], n: Notice): Notice[] {
  const out = [...(n.key ? list.filter((x) => x.key !== n.key) : list), n];
  while (out.length > MAX_NOTICES) {
    const info = out.findIndex((x) => x.kind === 'info');
    out.splice(info >= 0 && info < out.length - 1 ? info : 0, 1);
  }
  return out;
}

export const uiStore = createStore<UiState>()((set, get) => ({
  theme: 'dark',
  notices: [],
  shortcutsOpen: false,
  activity: { pending: 0, label: null },
  activeStep: 'data',
  centreView: 'raw',
  stepPicks: 0,
  setActiveStep: (activeStep) => set({ activeStep }),
  pickStep: (activeStep) => set((s) => ({ activeStep, stepPicks: s.stepPicks + 1 })),
  setCentreView: (centreView) => set({ centreView }),
  setTheme: (theme) => set({ theme }),
  toggleTheme: () => set((s) => ({ theme: s.theme === 'dark' ? 'light' : 'dark' })),
  notify: (kind, title, message, hint, opts) => {
    const id = ++noticeSeq;
    const n: Notice = { id, kind, title, message, hint, ...(opts?.key ? { key: opts.key } : {}) };
    set((s) => ({ notices: withNotice(s.notices, n) }));
    const timeout = opts?.timeoutMs ?? (kind === 'info' ? INFO_NOTICE_MS : 0);
    if (timeout > 0) setTimeout(() => get().dismiss(id), timeout);
  },
  dismiss: (id) =>
    set((s) => (s.notices.some((n) => n.id === id) ? { notices: s.notices.filter((n) => n.id !== id) } : s)),
  dismissKey: (key) =>
    set((s) =>
      s.notices.some((n) => n.key === key) ? { notices: s.notices.filter((n) => n.key !== key) } : s,
    ),
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
  setActivity: (activity) => set({ activity }),
}));

export const useUi = <T>(sel: (s: UiState) => T): T => useStore(uiStore, sel);

/** Work that cannot follow its input off screen (one shared worker) stopped when the user left it. */
export function stoppedOnLeave(what: string): void {
  uiStore
    .getState()
    .notify(
      'warning',
      `${what} stopped`,
      'It ran on the input you just left and cannot continue while another is shown; its previous result is kept with that input.',
      'Go back to that input and run it again.',
    );
}
