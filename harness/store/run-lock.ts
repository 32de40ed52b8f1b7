/**
 * The run-folder lock: one process writes a run folder at a time. `run.lock` is created
 * exclusively (written complete to a temporary file, then hard-linked into place, so nobody ever
 * reads a half-written lock) and holds who took it: pid, host, command, time. A lock whose
 * holder is a dead process on this host is stale and is taken over; a lock held from another
 * host cannot be checked from here, and is broken by deleting the file (see the store README).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { HarnessError } from '../core/errors.ts';
import { removeTemporaryFiles, temporaryPath } from './atomic-file.ts';
import { osErrorCode, StoreWriteError } from './store-errors.ts';
import { nodeStoreFs, writeFully, type StoreFs } from './store-fs.ts';

/** File name of the lock inside a run folder. */
export const LOCK_FILE = 'run.lock';

/** What the lock file holds. */
export interface LockHolder {
  /** Process id of the holder. */
  pid: number;
  /** Host name of the machine the holder runs on. */
  hostname: string;
  /** The command that holds the folder, e.g. `run`, `report`. */
  command: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** Random token telling this taking of the lock from any other. */
  token: string;
}

/** A run folder held by another process. Exit code 1. */
export class RunLockedError extends HarnessError {
  /** Who holds the folder (undefined when the lock file could not be read). */
  readonly holder: LockHolder | undefined;

  constructor(runDir: string, lockPath: string, holder: LockHolder | undefined, sameHost: boolean) {
    const who = holder ? `pid ${holder.pid} on host ${holder.hostname}, running \`scaling-bench ${holder.command}\` since ${holder.startedAt}` : 'a process whose lock file cannot be read';
    const hint = sameHost
      ? `Wait for that process to finish (or stop it: kill ${holder?.pid ?? '<pid>'}), then run the command again. Two processes writing one run folder would draw samples twice.`
      : `Wait for that process to finish, then run the command again. If it is gone (its machine crashed), delete ${lockPath} and run again; only do so when you are sure, since two writers would draw samples twice.`;
    super('RUN_LOCKED', `${runDir} is in use by another scaling-bench process: ${who}`, { hint, exitCode: 1 });
    this.holder = holder;
  }
}

/** A taken lock. */
export interface RunLock {
  /** The lock file. */
  readonly path: string;
  /** Who holds it (this process). */
  readonly holder: LockHolder;
  /** Releases the lock (only if it is still ours). Safe to call more than once. */
  release(): void;
}

/** Options of acquireRunLock (the defaults describe this process; tests pass others). */
export interface RunLockOptions {
  /** The command taking the lock, e.g. `run`. */
  command: string;
  /** Process id recorded (default process.pid). */
  pid?: number;
  /** Host name recorded and compared (default os.hostname()). */
  hostname?: string;
  /** Whether a process of this host is alive (default: signal 0). */
  isAlive?: (pid: number) => boolean;
  /** Clock (default new Date()). */
  now?: () => Date;
  /** File-system calls; default node:fs. */
  fs?: StoreFs;
}

/**
 * Whether process `pid` runs on this host (EPERM: it exists, under another user). A zombie (a
 * killed process its parent has not yet reaped) still answers signal 0 but holds nothing: on
 * Linux its state in /proc/<pid>/stat tells it apart.
 */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (osErrorCode(error) !== 'EPERM') return false;
  }
  try {
    return !isZombieStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): signal 0 is all we know
  }
}

/** Whether a /proc/<pid>/stat line describes a dead process (state Z, zombie, or X, dead). */
export function isZombieStat(stat: string): boolean {
  // The command name, in parentheses, may hold spaces and parentheses: the state follows the last `)`.
  const state = stat.slice(stat.lastIndexOf(')') + 1).trim()[0];
  return state === 'Z' || state === 'X';
}

function parseHolder(bytes: Buffer): LockHolder | undefined {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.command === 'string' && typeof value.startedAt === 'string' && typeof value.token === 'string') {
      return value as LockHolder;
    }
  } catch {
    // Not a lock we wrote.
  }
  return undefined;
}

function readHolder(fs: StoreFs, path: string): LockHolder | undefined | 'missing' {
  try {
    return parseHolder(fs.readFileSync(path));
  } catch (error) {
    if (osErrorCode(error) === 'ENOENT') return 'missing';
    throw error;
  }
}

/**
 * Takes the lock of `runDir` (which must exist), taking over a stale one; then removes
 * temporary files a killed command left there. Release it in a `finally`.
 * @throws RunLockedError when a live process (or one on another host) holds the folder
 */
export function acquireRunLock(runDir: string, options: RunLockOptions): RunLock {
  const fs = options.fs ?? nodeStoreFs;
  const path = join(runDir, LOCK_FILE);
  const host = options.hostname ?? osHostname();
  const isAlive = options.isAlive ?? processIsAlive;
  const holder: LockHolder = {
    pid: options.pid ?? process.pid,
    hostname: host,
    command: options.command,
    startedAt: (options.now ?? (() => new Date()))().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  // A few rounds: each lost race against another process taking over a stale lock costs one.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (tryCreate(fs, path, holder)) {
      removeTemporaryFiles(runDir);
      removeTemporaryFiles(join(runDir, 'figures'));
      return { path, holder, release: () => release(fs, path, holder.token) };
    }
    const current = readHolder(fs, path);
    if (current === 'missing') continue; // released meanwhile: try again
    const stale = current !== undefined && current.hostname === host && !isAlive(current.pid);
    if (!stale) throw new RunLockedError(runDir, path, current, current === undefined || current.hostname === host);
    breakStaleLock(fs, path, current);
  }
  throw new RunLockedError(runDir, path, undefined, true);
}

/** Creates the lock file complete, or returns false when one exists. */
function tryCreate(fs: StoreFs, path: string, holder: LockHolder): boolean {
  const temporary = temporaryPath(path);
  try {
    const fd = fs.openSync(temporary, 'wx', 0o644);
    try {
      writeFully(fs, fd, Buffer.from(`${JSON.stringify(holder)}\n`, 'utf8'));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.linkSync(temporary, path);
    return true;
  } catch (error) {
    if (osErrorCode(error) === 'EEXIST') return false;
    throw new StoreWriteError('RUN_LOCK_FAILED', 'lock file', path, error);
  } finally {
    try {
      fs.unlinkSync(temporary);
    } catch {
      // Not created.
    }
  }
}

/**
 * Moves a stale lock aside and checks it is the one judged stale: if another process took the
 * lock over in between, its fresh lock is put back.
 */
function breakStaleLock(fs: StoreFs, path: string, stale: LockHolder): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(path, aside);
  } catch (error) {
    if (osErrorCode(error) === 'ENOENT') return;
    throw new StoreWriteError('RUN_LOCK_FAILED', 'lock file', path, error);
  }
  const moved = readHolder(fs, aside);
  if (moved !== 'missing' && moved?.token !== stale.token) {
    try {
      fs.linkSync(aside, path);
    } catch {
      // A third process holds the lock now; the one we moved lost it to a race it started after a crash.
    }
  }
  fs.unlinkSync(aside);
}

function release(fs: StoreFs, path: string, token: string): void {
  try {
    const current = readHolder(fs, path);
    if (current !== 'missing' && current?.token === token) fs.unlinkSync(path);
  } catch {
    // Released in a `finally`: never hide the error that is ending the command. A lock left
    // behind by a process that has ended is taken over as stale.
  }
}
