import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './bench-stack.ts';
import { killAllChildrenNow } from './child-processes.ts';

export interface BaseWorktree {
  /** The base commit, abbreviated. */
  commit: string;
  /** Where the base is checked out. */
  root: string;
  /** A scratch folder beside it, removed with it. */
  workDir: string;
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();

/**
 * Checks `ref` out in a temporary git worktree, for the tools that measure an older commit beside
 * this working tree (`bench:compare`, `bench:instructions`). The base runs on this checkout's
 * dependencies: the comparison is of code, not of installs. Everything is removed at exit, and the
 * children the harness started are killed first.
 */
export function checkOutBase(ref: string, prefix: string): BaseWorktree {
  const workDir = mkdtempSync(join(tmpdir(), prefix));
  const root = join(workDir, 'base');
  process.once('exit', () => {
    killAllChildrenNow();
    try {
      git('worktree', 'remove', '--force', root);
    } catch {
      // never created, or already gone
    }
    rmSync(workDir, { recursive: true, force: true });
  });
  process.once('SIGINT', () => process.exit(130));
  const commit = git('rev-parse', '--short', ref);
  git('worktree', 'add', '--detach', root, commit);
  for (const folder of ['', 'packages/server', 'packages/contracts']) {
    const modules = join(repoRoot, folder, 'node_modules');
    if (existsSync(modules) && !existsSync(join(root, folder, 'node_modules')))
      symlinkSync(modules, join(root, folder, 'node_modules'));
  }
  return { commit, root, workDir };
}
