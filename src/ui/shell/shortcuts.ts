// Global keyboard shortcuts (Fiji/napari habits). Keys typed into a field stay with the field.
import { downloadSession } from '../../state/sessionActions';
import { uiStore } from '../../state/uiStore';
import { viewerStore } from '../../state/viewerStore';

export const SHORTCUTS: [keys: string[], action: string][] = [
  [['←', '→'], 'previous / next frame'],
  [['Shift', '←/→'], 'back / forward 10 frames'],
  [['Home', 'End'], 'first / last frame'],
  [['Space'], 'play / pause'],
  [['+', '−'], 'zoom in / out'],
  [['0'], 'fit to window'],
  [['Wheel'], 'zoom about the cursor'],
  [['Drag'], 'pan'],
  [['Ctrl/⌘', 'S'], 'save the session file'],
  [['?'], 'show this list'],
  [['Esc'], 'close dialogs'],
];

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  // Range sliders handle arrows and Home/End themselves; number/text fields need them for editing.
  return t instanceof HTMLInputElement && t.type !== 'checkbox' && t.type !== 'radio';
}

export function handleShortcut(e: KeyboardEvent): boolean {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
    // Instead of the browser saving the page.
    void downloadSession();
    return true;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return false;
  const ui = uiStore.getState();
  if (e.key === 'Escape') {
    if (ui.shortcutsOpen) ui.setShortcutsOpen(false);
    return ui.shortcutsOpen;
  }
  if (isTyping(e.target)) return false;
  const v = viewerStore.getState();
  switch (e.key) {
    case 'ArrowRight':
      v.step(e.shiftKey ? 10 : 1);
      return true;
    case 'ArrowLeft':
      v.step(e.shiftKey ? -10 : -1);
      return true;
    case 'Home':
      v.setFrame(0);
      return true;
    case 'End':
      v.setFrame(v.frameCount - 1);
      return true;
    case ' ':
      // A focused button would also "click" on space.
      if (e.target instanceof HTMLButtonElement) return false;
      v.setPlaying(!v.playing);
      return true;
    case '+':
    case '=':
      v.zoomAt(1.25);
      return true;
    case '-':
    case '_':
      v.zoomAt(0.8);
      return true;
    case '0':
      v.fitToWindow();
      return true;
    case '?':
      ui.setShortcutsOpen(!ui.shortcutsOpen);
      return true;
  }
  return false;
}
