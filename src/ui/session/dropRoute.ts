// Files dropped on the window: session files open as sessions, raw files a session is missing
// re-attach by fingerprint, everything else opens as a stack as before.
import { dataStore } from '../../state/dataStore';
import { locsStore } from '../../state/locsStore';
import { openSession, reattachFiles } from '../../state/sessionActions';
import { locsActions, postRuntime } from '../post/postRuntime';
import { askChoice } from '../shell/ChoiceDialog';

export const isSessionFile = (f: File) => /\.smlm$/i.test(f.name);

/** Anything a session would close: open stacks or tables, or localizations. */
export function workIsOpen(): boolean {
  const d = dataStore.getState();
  return d.stacks.length > 0 || d.tables.length > 0 || locsStore.getState().count > 0;
}

export async function routeDrop(files: File[], openStack: (files: File[]) => void): Promise<void> {
  const session = files.find(isSessionFile);
  if (session) {
    const choice = workIsOpen()
      ? await askChoice(
          `Open ${session.name}?`,
          'It is a session file. Opening it as a session replaces the whole workspace: every open stack and table, and the results made from them, are closed. Or add only its localizations, as a table next to what is open.',
          [
            { id: 'replace', label: 'Replace workspace' },
            { id: 'table', label: 'Add localizations as a table', primary: true },
          ],
        )
      : 'replace';
    if (choice === 'replace') await openSession(session);
    else if (choice === 'table') {
      postRuntime();
      await locsActions.importFiles([{ name: session.name, blob: session }], true);
    }
    return;
  }
  const rest = await reattachFiles(files);
  if (rest.length) openStack(rest);
}
