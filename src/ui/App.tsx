import { useEffect } from 'react';
import { stackService } from '../engine/stackService';
import { dataActions } from '../state/dataActions';
import { startFrameRenderer } from '../state/frameStore';
import { uiStore, useUi } from '../state/uiStore';
import { DataPanel } from './data/DataPanel';
import { MetadataPanel } from './data/MetadataPanel';
import { ErrorBoundary } from './ErrorBoundary';
import { Notices } from './shell/Notices';
import { Pipeline } from './shell/Pipeline';
import { ShortcutsDialog } from './shell/ShortcutsDialog';
import { StatusBar } from './shell/StatusBar';
import { handleShortcut } from './shell/shortcuts';
import { useFileDrop } from './shell/useFileDrop';
import { ContrastPanel } from './viewer/ContrastPanel';
import { FrameBar } from './viewer/FrameBar';
import { ViewerCanvas } from './viewer/ViewerCanvas';
import { ViewerToolbar } from './viewer/ViewerToolbar';

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

export function App() {
  useWorkbench();
  const dragging = useFileDrop(openDropped);
  const theme = useUi((s) => s.theme);
  const toggleTheme = useUi((s) => s.toggleTheme);
  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">
          evscope<small>EV single-molecule workbench</small>
        </span>
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
          <DataPanel />
        </ErrorBoundary>
      </aside>
      <main className="centre">
        <ErrorBoundary area="viewer">
          <ViewerToolbar />
          <ViewerCanvas />
          <FrameBar />
        </ErrorBoundary>
      </main>
      <aside className="right" aria-label="Results">
        <ErrorBoundary area="results panel">
          <MetadataPanel />
          <ContrastPanel />
        </ErrorBoundary>
      </aside>
      <StatusBar />
      <Notices />
      <ShortcutsDialog />
      {dragging && <div className="drop-overlay">Drop to open as one stack</div>}
    </div>
  );
}
