// Files dropped on the window: session files open as sessions, raw files a session is missing
// re-attach by fingerprint, everything else opens as a stack as before.
import { openSession, reattachFiles } from '../../state/sessionActions';

export const isSessionFile = (f: File) => /\.smlm$/i.test(f.name);

export async function routeDrop(files: File[], openStack: (files: File[]) => void): Promise<void> {
  const session = files.find(isSessionFile);
  if (session) {
    await openSession(session);
    return;
  }
  const rest = await reattachFiles(files);
  if (rest.length) openStack(rest);
}
