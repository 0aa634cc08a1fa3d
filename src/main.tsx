import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installScripting } from './scripting/api';
import { App } from './ui/App';
import './ui/theme.css';

installScripting();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
