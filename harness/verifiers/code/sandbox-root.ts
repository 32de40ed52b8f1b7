/**
 * Where the sandbox's working folders live. Programs run under a dropped uid (when the harness
 * runs as root), so every folder above their working folders must be enterable by that uid:
 * `os.tmpdir()` is not a safe choice, since TMPDIR is often a private folder (mode 0700: the
 * default on macOS, common for per-job temp folders on clusters).
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SandboxError } from './sandbox-error.ts';

/**
 * Parent folders tried, in order, for the root-owned sandbox base folder when the harness runs
 * as root: `/run` (a tmpfs, root-owned, mode 0755 on every Linux with systemd or a modern init),
 * then `/var/tmp` and `/tmp` (world-writable with the sticky bit).
 */
export const rootSandboxParents: readonly string[] = ['/run', '/var/tmp', '/tmp'];

/** Name of the base folder made inside the chosen parent. */
export const sandboxBaseName = 'scaling-bench-sandbox';

/** True when every folder from `/` down to `path` (included) lets other users through (x bit for others). */
export function traversableByOthers(path: string): boolean {
  let current = resolve(path);
  for (;;) {
    let mode: number;
    try {
      mode = statSync(current).mode;
    } catch {
      return false;
    }
    if ((mode & 0o001) === 0) return false;
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * The base folder for the pool's sandbox folders. Not root: `tempDir` or the OS temp folder
 * (programs run under the caller's own uid, which can enter it). Root: `tempDir` when given,
 * else `<parent>/scaling-bench-sandbox` in the first of rootSandboxParents that every uid can
 * enter; the folder is made (or checked) root-owned, mode 0711, not a symbolic link.
 */
export function sandboxBaseFolder(tempDir: string | undefined, isRoot: boolean): string {
  if (!isRoot) return tempDir ?? tmpdir();
  if (tempDir !== undefined) return tempDir;
  for (const parent of rootSandboxParents) {
    if (!traversableByOthers(parent)) continue;
    const base = join(parent, sandboxBaseName);
    try {
      mkdirSync(base, { mode: 0o711 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') continue;
    }
    const info = lstatSync(base);
    if (!info.isDirectory() || info.uid !== 0) {
      throw new SandboxError('SANDBOX_ROOT_UNSAFE', `${base} exists but is not a root-owned folder (a symbolic link or another user's file)`, {
        hint: `Remove ${base}, or give the pool a tempDir that every user can enter (mode 0711 or 0755 on each folder above it).`,
      });
    }
    chmodSync(base, 0o711);
    return base;
  }
  throw new SandboxError('SANDBOX_ROOT_UNAVAILABLE', `none of ${rootSandboxParents.join(', ')} can hold the sandbox folder`, {
    hint: 'Give the pool a tempDir that every user can enter (mode 0711 or 0755 on each folder above it).',
  });
}

/** Makes one worker's sandbox folder inside the base folder (removed by the worker, or by its reaper when it dies). */
export function makeSandboxFolder(base: string): string {
  return mkdtempSync(join(base, 'pool-'));
}
