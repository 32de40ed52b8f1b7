/**
 * Atomic replace for the store's files (run.json, metrics.csv, the report...): the writer of
 * harness/core/atomic-file.ts (temporary file, fsync, rename: a reader sees the previous or the
 * complete new version, never a part), with the store's error (StoreWriteError, whose hint names
 * the OS error) and file system (StoreFs, so tests inject failures). A temporary file left by a
 * kill (SIGKILL cannot be caught) is removed when the run folder's lock is next taken
 * (removeTemporaryFiles).
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isTemporaryFileName, openAtomicFile as openCoreAtomicFile, type AtomicFile } from '../core/atomic-file.ts';
import { StoreWriteError } from './store-errors.ts';
import { nodeStoreFs, type StoreFs } from './store-fs.ts';

export { temporaryPath, type AtomicFile } from '../core/atomic-file.ts';

/** Options of the atomic writers. */
export interface AtomicWriteOptions {
  /** File-system calls (tests inject failures); default node:fs. */
  fs?: StoreFs;
  /** Error code when the write fails (default FILE_WRITE_FAILED). */
  errorCode?: string;
}

/** Opens an atomic write of `path`: nothing is visible at `path` until commit. Failures throw StoreWriteError. */
export function openAtomicFile(path: string, options: AtomicWriteOptions = {}): AtomicFile {
  return openCoreAtomicFile(path, {
    fs: options.fs ?? nodeStoreFs,
    onFailure: (target, cause) => new StoreWriteError(options.errorCode ?? 'FILE_WRITE_FAILED', 'file', target, cause),
  });
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
    if (!isTemporaryFileName(name)) continue;
    rmSync(join(folder, name), { force: true });
    removed.push(name);
  }
  return removed;
}
