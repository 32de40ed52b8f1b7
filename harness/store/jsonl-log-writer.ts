/**
 * The append-only JSONL log writer behind samples.jsonl and scores.jsonl. Records are queued and
 * written in batches; every write is checked for length (short writes loop) and errors. A failed
 * write is fatal: the partly written batch is cut off again, so the log ends on its last complete
 * record, and every later append or flush throws the same coded error, so a command can never
 * carry on past a log that is not recording.
 */
import { existsSync } from 'node:fs';
import { HarnessError } from '../core/errors.ts';
import { gzipMember, isGzipFile } from './gzip-members.ts';
import { repairLogTail } from './log-repair.ts';
import { StoreWriteError } from './store-errors.ts';
import { nodeStoreFs, writeFully, type StoreFs } from './store-fs.ts';

/** Appends records to a JSONL log, one line each, buffered and flushed in batches. */
export interface JsonlLogWriter<T> {
  /** Queues a record; it is written at the next flush (at most `flushEvery` records later). @throws StoreWriteError */
  append(record: T): void;
  /** Writes every queued record to the file (one gzip member when compressed). @throws StoreWriteError */
  flush(): void;
  /** Flushes, syncs to disk and closes the file. Throws only a failure of its own flush. */
  close(): void;
  /** Whether the log is gzip-compressed. */
  readonly compressed: boolean;
}

/** Options of openJsonlLog. */
export interface JsonlLogOptions {
  /** Records per write (default 64): a kill loses at most the records of the open batch. */
  flushEvery?: number;
  /** Names the log in errors (default `log`). */
  name?: string;
  /** Error code of a failed write (default LOG_WRITE_FAILED). */
  errorCode?: string;
  /** Write a new (or empty) log as gzip members, one per flush. An existing log keeps its format. Default false. */
  compress?: boolean;
  /** gzip level 1-9 (default 6). */
  level?: number;
  /** File-system calls (tests inject short writes and ENOSPC); default node:fs. */
  fs?: StoreFs;
}

/**
 * Opens an append-only JSONL log at `path`, creating it if missing. A torn tail left by a crash
 * (a part line, or a part gzip member) is cut first, so appends start on a record boundary.
 */
export function openJsonlLog<T>(path: string, options: JsonlLogOptions = {}): JsonlLogWriter<T> {
  const fs = options.fs ?? nodeStoreFs;
  const name = options.name ?? 'log';
  const errorCode = options.errorCode ?? 'LOG_WRITE_FAILED';
  const flushEvery = options.flushEvery ?? 64;
  const level = options.level ?? 6;
  let fd: number;
  let committed: number;
  let compressed: boolean;
  try {
    const exists = existsSync(path);
    compressed = exists && isGzipFile(path) ? true : exists && fileHasBytes(path) ? false : (options.compress ?? false);
    if (exists) repairLogTail(path, compressed);
    fd = fs.openSync(path, 'a');
    committed = fs.fstatSync(fd).size;
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw new StoreWriteError(errorCode, name, path, error);
  }
  let queued: string[] = [];
  let failure: StoreWriteError | undefined;
  let closed = false;

  const flush = (): void => {
    if (failure) throw failure;
    if (queued.length === 0) return;
    const text = Buffer.from(queued.join(''), 'utf8');
    const bytes = compressed ? gzipMember(text, level) : text;
    try {
      writeFully(fs, fd, bytes);
    } catch (error) {
      failure = new StoreWriteError(errorCode, name, path, error);
      try {
        fs.ftruncateSync(fd, committed);
      } catch {
        // The part batch stays at the end of the file; the next open cuts it (repairLogTail).
      }
      throw failure;
    }
    committed += bytes.length;
    queued = [];
  };

  return {
    compressed,
    append(record) {
      if (failure) throw failure;
      if (closed) throw new HarnessError('LOG_CLOSED', `append to a closed ${name} (${path})`);
      queued.push(`${JSON.stringify(record)}\n`);
      if (queued.length >= flushEvery) flush();
    },
    flush,
    close() {
      if (closed) return;
      closed = true;
      const earlier = failure;
      try {
        if (!earlier) {
          flush();
          try {
            fs.fsyncSync(fd);
          } catch (error) {
            failure = new StoreWriteError(errorCode, name, path, error);
            throw failure;
          }
        }
      } finally {
        try {
          fs.closeSync(fd);
        } catch {
          // Nothing more can be lost: every batch was written (or the failure is being thrown).
        }
      }
    },
  };
}

function fileHasBytes(path: string): boolean {
  const fd = nodeStoreFs.openSync(path, 'r');
  try {
    return nodeStoreFs.fstatSync(fd).size > 0;
  } finally {
    nodeStoreFs.closeSync(fd);
  }
}
