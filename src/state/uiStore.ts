// App chrome: theme, error messages, dialogs, worker activity.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { Activity } from '../engine/stackService';

/** Mirrors the ids in src/ui/shell/steps.tsx and centreViews.tsx (stores must not import UI). */
export type StepId = 'data' | 'localize' | 'post' | 'movie' | 'tracks' | 'markers' | 'session';
export type CentreViewId = 'raw' | 'reconstruction' | 'movie' | 'tracks' | 'markers';

export type Theme = 'dark' | 'light';

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  /** What happened, naming the file it happened to. */
  title: string;
  message: string;
  /** What to do about it. */
  hint?: string;
}

export interface UiState {
  theme: Theme;
  notices: Notice[];
  shortcutsOpen: boolean;
  activity: Activity;
  activeStep: StepId;
  centreView: CentreViewId;
  setActiveStep(step: StepId): void;
  setCentreView(view: CentreViewId): void;
  setTheme(t: Theme): void;
  toggleTheme(): void;
  notify(kind: Notice['kind'], title: string, message: string, hint?: string): void;
  dismiss(id: number): void;
  setShortcutsOpen(open: boolean): void;
  setActivity(a: Activity): void;
}

/** Older notices drop off so a burst of failures cannot bury the screen. */
export const MAX_NOTICES = 4;

let noticeSeq = 0;

export const uiStore = createStore<UiState>()((set) => ({
  theme: 'dark',
  notices: [],
  shortcutsOpen: false,
  activity: { pending: 0, label: null },
  activeStep: 'data',
  centreView: 'raw',
  setActiveStep: (activeStep) => set({ activeStep }),
  setCentreView: (centreView) => set({ centreView }),
  setTheme: (theme) => set({ theme }),
  toggleTheme: () => set((s) => ({ theme: s.theme === 'dark' ? 'light' : 'dark' })),
  notify: (kind, title, message, hint) =>
    set((s) => ({
      notices: [...s.notices, { id: ++noticeSeq, kind, title, message, hint }].slice(-MAX_NOTICES),
    })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
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
