/**
 * Atomic replace: a file is written to a temporary file in the same folder, flushed to disk
 * (fsync) and renamed over the target, so a reader (or a command killed part way) sees either
 * the previous version or the complete new one, never a part. The temporary file is removed on
 * any failure; one left by a kill (SIGKILL cannot be caught) is removed when the run folder's
 * lock is next taken (see removeTemporaryFiles).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StoreWriteError } from './store-errors.ts';
import { nodeStoreFs, writeFully, type StoreFs } from './store-fs.ts';

/** Options of the atomic writers. */
export interface AtomicWriteOptions {
  /** File-system calls (tests inject failures); default node:fs. */
  fs?: StoreFs;
  /** Error code when the write fails (default FILE_WRITE_FAILED). */
  errorCode?: string;
}

/** Names of our temporary files: `.<name>.tmp-<pid>-<hex>` (and the older `<name>.tmp-<pid>`). */
const TEMPORARY_NAME = /\.tmp-\d+(-[0-9a-f]+)?$/;

/** The temporary file written beside `path` before it is renamed over it. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** An open atomic write: chunks go to the temporary file; commit renames it over the target. */
export interface AtomicFile {
  /** Appends text or bytes to the new version. */
  write(chunk: string | Uint8Array): void;
  /** Flushes the new version to disk and renames it over the target. */
  commit(): void;
  /** Drops the new version (the target keeps its previous one). Safe to call more than once. */
  abort(): void;
}

/** Opens an atomic write of `path`: nothing is visible at `path` until commit. */
export function openAtomicFile(path: string, options: AtomicWriteOptions = {}): AtomicFile {
  const fs = options.fs ?? nodeStoreFs;
  const temporary = temporaryPath(path);
  const failed = (error: unknown): StoreWriteError => new StoreWriteError(options.errorCode ?? 'FILE_WRITE_FAILED', 'file', path, error);
  let fd: number | undefined;
  let done = false;
  const abort = (): void => {
    if (done) return;
    done = true;
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing; the unlink below is what matters.
      }
      fd = undefined;
    }
    try {
      fs.unlinkSync(temporary);
    } catch {
      // Never created, or already gone.
    }
  };
  try {
    fd = fs.openSync(temporary, 'wx', 0o644);
  } catch (error) {
    done = true;
    throw failed(error);
  }
  return {
    write(chunk) {
      if (done || fd === undefined) throw new StoreWriteError('FILE_WRITE_FAILED', 'file', path, new Error('write after commit or abort'));
      try {
        writeFully(fs, fd, typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      } catch (error) {
        abort();
        throw failed(error);
      }
    },
    commit() {
      if (done || fd === undefined) throw new StoreWriteError('FILE_WRITE_FAILED', 'file', path, new Error('commit after commit or abort'));
      try {
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fd = undefined;
        fs.renameSync(temporary, path);
        done = true;
      } catch (error) {
        abort();
        throw failed(error);
      }
    },
    abort,
  };
}

/** Replaces `path` with `content` atomically (previous or complete new version, never a part). */
export function writeFileAtomic(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const file = openAtomicFile(path, options);
  file.write(content);
  file.commit();
}

/**
 * Removes temporary files that a killed command left in `folder` (not recursive). Only safe while
 * holding the folder's run lock: no other process is writing there then.
 */
export function removeTemporaryFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!TEMPORARY_NAME.test(name)) continue;
    rmSync(join(folder, name), { force: true });
    removed.push(name);
  }
  return removed;
}
