import { useEffect } from 'react';
import { stackService } from '../engine/stackService';
import { dataActions } from '../state/dataActions';
import { startFrameRenderer } from '../state/frameStore';
import { uiStore, useUi } from '../state/uiStore';
import { ErrorBoundary } from './ErrorBoundary';
import { ChoiceDialog } from './shell/ChoiceDialog';
import { CENTRE_VIEWS } from './shell/centreViews';
import { Notices } from './shell/Notices';
import { Pipeline } from './shell/Pipeline';
import { ShortcutsDialog } from './shell/ShortcutsDialog';
import { StatusBar } from './shell/StatusBar';
import { handleShortcut } from './shell/shortcuts';
import { stepById } from './shell/steps';
import { useFileDrop } from './shell/useFileDrop';
import { SimulatedBadge } from './sim/SimulatedBadge';

const openDropped = (files: File[]) => void dataActions.openFiles(files);

function useWorkbench() {
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    const stop = startFrameRenderer(stackService);
    const unsub = stackService.subscribe((a) => uiStore.getState().setActivity(a));
    stackService.onCrash = (msg) => {
      dataActions.forgetAll();
      uiStore
        .getState()
        .notify('error', 'The stack worker stopped', msg, 'Open the files again to continue.');
    };
    const onKey = (e: KeyboardEvent) => {
      if (handleShortcut(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      stop();
      unsub();
      window.removeEventListener('keydown', onKey);
    };
  }, []);
}

function CentreView() {
  const current = useUi((s) => s.centreView);
  const setView = useUi((s) => s.setCentreView);
  const view = CENTRE_VIEWS.find((v) => v.id === current) ?? CENTRE_VIEWS[0];
  return (
    <>
      {CENTRE_VIEWS.length > 1 && (
        <div className="view-tabs" role="tablist" aria-label="What the viewer shows">
          {CENTRE_VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              aria-selected={v.id === view.id}
              className="view-tab"
              onClick={() => setView(v.id)}
            >
              {v.name}
            </button>
          ))}
        </div>
      )}
      <view.Component />
    </>
  );
}

export function App() {
  useWorkbench();
  const step = stepById(useUi((s) => s.activeStep));
  const Panel = step.Panel;
  const Results = step.Results;
  const dragging = useFileDrop(openDropped);
  const theme = useUi((s) => s.theme);
  const toggleTheme = useUi((s) => s.toggleTheme);
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="brand">
          evscope<small>EV single-molecule workbench</small>
        </h1>
        <SimulatedBadge />
        <span className="spacer" />
        <button
          type="button"
          className="btn"
          aria-pressed={theme === 'light'}
          title="Switch between dark and light theme"
          onClick={toggleTheme}
        >
          {theme === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
      </header>
      <aside className="left" aria-label="Pipeline and data">
        <ErrorBoundary area="pipeline">
          <Pipeline />
          {Panel && <Panel />}
        </ErrorBoundary>
      </aside>
      <main className="centre">
        <ErrorBoundary area="viewer">
          <CentreView />
        </ErrorBoundary>
      </main>
      <aside className="right" aria-label="Results">
        <ErrorBoundary area="results panel">{Results && <Results />}</ErrorBoundary>
      </aside>
      <StatusBar />
      <Notices />
      <ShortcutsDialog />
      <ChoiceDialog />
      {dragging && <div className="drop-overlay">Drop to open as one stack</div>}
    </div>
  );
}
