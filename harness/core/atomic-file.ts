/**
 * Atomic replace: a file is written to a temporary file in the same folder, flushed to disk
 * (fsync) and renamed over the target, so a reader (or a command killed part way) sees either
 * the previous version or the complete new one, never a part. The temporary file is removed on
 * any failure. In core so that every stage (the store's run files, the datasets' cache) uses the
 * same writer; the store wraps it with its own error (StoreWriteError) and temporary-file sweep.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HarnessError } from './errors.ts';

/** The synchronous node:fs calls an atomic write makes (same signatures as node:fs). */
export interface AtomicFs {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
}

/** The real file system. */
export const nodeAtomicFs: AtomicFs = {
  openSync: (path, flags, mode) => nodeFs.openSync(path, flags, mode),
  writeSync: (fd, buffer, offset, length) => nodeFs.writeSync(fd, buffer, offset, length),
  fsyncSync: (fd) => nodeFs.fsyncSync(fd),
  closeSync: (fd) => nodeFs.closeSync(fd),
  renameSync: (from, to) => nodeFs.renameSync(from, to),
  unlinkSync: (path) => nodeFs.unlinkSync(path),
};

/** Options of openAtomicFile and writeFileAtomic. */
export interface AtomicFileOptions {
  /** File-system calls (tests inject failures); default node:fs. */
  fs?: AtomicFs;
  /** The error thrown when a call fails, built from the target path and the cause. Default: a FileWriteError. */
  onFailure?: (path: string, cause: unknown) => Error;
}

/** A file could not be written (code FILE_WRITE_FAILED); the target keeps its previous version. */
export class FileWriteError extends HarnessError {
  /** The file that could not be written. */
  readonly path: string;

  constructor(path: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('FILE_WRITE_FAILED', `could not write file ${path}: ${reason}`, {
      hint: `Check that ${path} is writable and its disk has free space (see \`df -h\`), then run the same command again.`,
      cause,
    });
    this.path = path;
  }
}

/** Names of our temporary files: `.<name>.tmp-<pid>-<hex>` (and the older `<name>.tmp-<pid>`). */
const TEMPORARY_NAME = /\.tmp-\d+(-[0-9a-f]+)?$/;

/** True when `name` (a file name, not a path) is a temporary file of an atomic write. */
export function isTemporaryFileName(name: string): boolean {
  return TEMPORARY_NAME.test(name);
}

/** The temporary file written beside `path` before it is renamed over it. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Writes all of `buffer` to `fd`, looping on short writes (a write may legally store fewer bytes
 * than asked, e.g. near a quota or on a signal). A write that stores nothing is an error, since
 * looping on it would never end.
 */
export function writeFully(fs: Pick<AtomicFs, 'writeSync'>, fd: number, buffer: Uint8Array): void {
  let offset = 0;
  while (offset < buffer.length) {
    const written = fs.writeSync(fd, buffer, offset, buffer.length - offset);
    if (!(written > 0)) {
      throw Object.assign(new Error(`write stored 0 of ${buffer.length - offset} bytes`), { code: 'EIO' });
    }
    offset += written;
  }
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
export function openAtomicFile(path: string, options: AtomicFileOptions = {}): AtomicFile {
  const fs = options.fs ?? nodeAtomicFs;
  const failed = (cause: unknown): Error => (options.onFailure ? options.onFailure(path, cause) : new FileWriteError(path, cause));
  const temporary = temporaryPath(path);
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
      if (done || fd === undefined) throw failed(new Error('write after commit or abort'));
      try {
        writeFully(fs, fd, typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      } catch (error) {
        abort();
        throw failed(error);
      }
    },
    commit() {
      if (done || fd === undefined) throw failed(new Error('commit after commit or abort'));
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
export function writeFileAtomic(path: string, content: string | Uint8Array, options: AtomicFileOptions = {}): void {
  const file = openAtomicFile(path, options);
  file.write(content);
  file.commit();
}
