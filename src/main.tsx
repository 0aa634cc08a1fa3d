import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { experimentActions } from './state/experiment';
import { demoFromUrl, openDemo } from './state/simulationActions';
import { App } from './ui/App';
import { installScripting } from './ui/scripting';
import './ui/theme.css';

installScripting();

// The workbench opens on the simulated demo (README's first command), unless the URL says ?demo=0.
const demo = demoFromUrl(window.location.search);
if (demo) void openDemo(demo);

// A batch that was running when the tab closed or reloaded goes on (its summaries were kept).
void experimentActions.resume();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
