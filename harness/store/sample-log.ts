/**
 * samples.jsonl: the append-only sample log of a run, one SampleRecord per line. Written as
 * samples finish; read back in a stream (never all texts in memory) by resume, verify and report.
 */
import { createReadStream, existsSync, closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { HarnessError } from '../core/errors.ts';
import type { SampleRecord } from '../core/types.ts';
import { isValidSampleIndex } from '../core/limits.ts';

/** File name of the sample log inside a run directory. */
export const SAMPLES_FILE = 'samples.jsonl';

/** Key identifying one sample slot: cell, problem and index. */
export function sampleKey(cell: string, problem: string, index: number): string {
  return `${cell}\u0000${problem}\u0000${index}`;
}

function isSampleRecord(value: unknown): value is SampleRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    record.v === 1 &&
    typeof record.cell === 'string' &&
    typeof record.problem === 'string' &&
    isValidSampleIndex(record.index) &&
    (record.status === 'ok' || record.status === 'error')
  );
}

/**
 * Streams the non-blank lines of a JSON Lines file, each parsed by `parse` (which throws on a bad
 * line, naming it by `path:line`). Every line must parse: for files written elsewhere, where a
 * torn last line is damage to report, not a crash of ours to skip (see readJsonlLog).
 */
export async function* readJsonlFile<T>(path: string, parse: (text: string, line: number, path: string) => T): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() !== '') yield parse(line, lineNumber, path);
  }
}

/**
 * Streams the records of an append-only JSONL log, each parsed by `parse` (which throws on a bad
 * line). A torn last line (a crash mid-write) is skipped; a bad line elsewhere is an error.
 * A missing file yields nothing.
 */
export async function* readJsonlLog<T>(path: string, parse: (text: string, line: number, path: string) => T): AsyncGenerator<T> {
  if (!existsSync(path)) return;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  let pending: { text: string; line: number } | undefined;
  for await (const line of lines) {
    if (pending) {
      yield parse(pending.text, pending.line, path);
      pending = undefined;
    }
    lineNumber += 1;
    if (line.trim() === '') continue;
    pending = { text: line, line: lineNumber };
  }
  if (pending) {
    // The last line may be torn by a crash: keep it only when it parses.
    let last: T;
    try {
      last = parse(pending.text, pending.line, path);
    } catch {
      return;
    }
    yield last;
  }
}

/**
 * Streams the records of a sample log. A torn last line (a crash mid-write) is skipped; a bad
 * line elsewhere is an error naming the line.
 */
export function readSampleLog(path: string): AsyncGenerator<SampleRecord> {
  return readJsonlLog(path, parseLine);
}

function parseLine(text: string, line: number, path: string): SampleRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HarnessError('SAMPLE_LOG_CORRUPT', `${path}:${line} is not valid JSON`, {
      hint: 'The sample log was edited or damaged; remove the damaged line (samples on it will be drawn again on resume).',
      cause: error,
    });
  }
  if (!isSampleRecord(value)) {
    throw new HarnessError('SAMPLE_LOG_CORRUPT', `${path}:${line} is not a sample record`, {
      hint: 'Each line of samples.jsonl must be a record written by scaling-bench (v, cell, problem, index, status).',
    });
  }
  return value;
}

/** Cuts a torn last line (no trailing newline) off a log so that appends start on a fresh line. */
export function repairTornTail(path: string): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const chunk = Buffer.alloc(Math.min(size, 1 << 20));
    let end = size;
    // Walk back to the last newline.
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const length = end - start;
      readSync(fd, chunk, 0, length, start);
      if (end === size && chunk[length - 1] === 0x0a) return;
      const index = chunk.subarray(0, length).lastIndexOf(0x0a);
      if (index >= 0) {
        ftruncateSync(fd, start + index + 1);
        return;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
  } finally {
    closeSync(fd);
  }
}

/** Appends records to a JSONL log, one line each, buffered and flushed in batches. */
export interface JsonlLogWriter<T> {
  /** Queues a record; it is written at the next flush (at most `flushEvery` records later). */
  append(record: T): void;
  /** Writes every queued record to the file. */
  flush(): void;
  /** Flushes and closes the file. */
  close(): void;
}

/** Appends sample records to samples.jsonl. */
export type SampleLogWriter = JsonlLogWriter<SampleRecord>;

/**
 * Opens an append-only JSONL log (repairing a torn tail first). `flushEvery`: records per write
 * (default 64); `name` names the log in errors.
 */
export function openJsonlLog<T>(path: string, options: { flushEvery?: number; name?: string } = {}): JsonlLogWriter<T> {
  repairTornTail(path);
  const fd = openSync(path, 'a');
  const flushEvery = options.flushEvery ?? 64;
  let queued: string[] = [];
  let closed = false;
  const flush = (): void => {
    if (queued.length === 0) return;
    const text = queued.join('');
    queued = [];
    writeSync(fd, text);
  };
  return {
    append(record) {
      if (closed) throw new HarnessError('LOG_CLOSED', `append to a closed ${options.name ?? 'log'} (${path})`);
      queued.push(`${JSON.stringify(record)}\n`);
      if (queued.length >= flushEvery) flush();
    },
    flush,
    close() {
      if (closed) return;
      flush();
      closeSync(fd);
      closed = true;
    },
  };
}

/** Opens a sample log for appending (repairing a torn tail first). `flushEvery`: records per write (default 64). */
export function openSampleLog(path: string, options: { flushEvery?: number } = {}): SampleLogWriter {
  return openJsonlLog<SampleRecord>(path, { ...options, name: 'sample log' });
}
