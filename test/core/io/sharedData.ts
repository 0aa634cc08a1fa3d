// Locates ../shared/data beside the repository. In a git worktree the "repository" is the main
// checkout the worktree belongs to, so follow the .git file's gitdir back to it as well.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export function sharedDataDir(): string {
  const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
  const candidates = [path.resolve(repoRoot, '..', 'shared', 'data')];
  const dotGit = path.join(repoRoot, '.git');
  if (existsSync(dotGit) && statSync(dotGit).isFile()) {
    const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    // gitdir: <main>/.git/worktrees/<name>
    if (m) candidates.push(path.resolve(m[1].trim(), '..', '..', '..', '..', 'shared', 'data'));
  }
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}
