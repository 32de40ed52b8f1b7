/**
 * The sample log of a run: one SampleRecord per line, append-only, as `samples.jsonl` or, when
 * compressed, `samples.jsonl.gz` (gzip members, one per flush). Written as samples finish; read
 * back in a stream (never all texts in memory) by resume, verify, report, import and merge, all
 * through readSampleLog, which takes either form.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { HarnessError } from '../core/errors.ts';
import type { SampleRecord } from '../core/types.ts';
import { isValidSampleIndex } from '../core/limits.ts';
import { openJsonlLog, type JsonlLogOptions, type JsonlLogWriter } from './jsonl-log-writer.ts';
import { lines, openLogStream, readJsonlLog, readJsonlLogBatches } from './jsonl-log-reader.ts';
import { isGzipFile } from './gzip-members.ts';

export { openJsonlLog, type JsonlLogOptions, type JsonlLogWriter } from './jsonl-log-writer.ts';
export { readJsonlLog } from './jsonl-log-reader.ts';
export { repairTornTail } from './log-repair.ts';

/** File name of the sample log inside a run directory. */
export const SAMPLES_FILE = 'samples.jsonl';

/** File name of the compressed sample log (`compressSamples: true`). */
export const COMPRESSED_SAMPLES_FILE = `${SAMPLES_FILE}.gz`;

/** Key identifying one sample slot: cell, problem and index. */
export function sampleKey(cell: string, problem: string, index: number): string {
  return `${cell}\u0000${problem}\u0000${index}`;
}

/**
 * The sample log file that exists for `path` (a `.../samples.jsonl` path): the file itself, or
 * its compressed sibling `path.gz`; undefined when there is neither.
 * @throws HarnessError `SAMPLE_LOG_AMBIGUOUS` when both exist
 */
export function locateSampleLog(path: string): string | undefined {
  const compressed = path.endsWith('.gz') ? undefined : `${path}.gz`;
  const plainExists = existsSync(path);
  const compressedExists = compressed !== undefined && existsSync(compressed);
  if (plainExists && compressedExists) {
    throw new HarnessError('SAMPLE_LOG_AMBIGUOUS', `both ${path} and ${compressed} exist`, {
      hint: `A run keeps one sample log. If one is a copy of the other, remove it; if both hold samples, combine them (zcat ${compressed} >> ${path}, then remove ${compressed}).`,
      exitCode: 2,
    });
  }
  if (plainExists) return path;
  return compressedExists ? compressed : undefined;
}

/** Whether a sample log (plain or compressed) exists for `path` (a `.../samples.jsonl` path). */
export function sampleLogExists(path: string): boolean {
  return locateSampleLog(path) !== undefined;
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
  // A run's compressed sample log is read through the store, like any other reader of it.
  const located = locateSampleLog(path) ?? path;
  if (located !== path || (existsSync(path) && isGzipFile(path))) {
    const stream = openLogStream(located, 'SAMPLE_LOG_CORRUPT');
    if (!stream) return;
    try {
      for await (const entry of lines(stream)) if (entry.text.trim() !== '') yield parse(entry.text, entry.line, located);
    } finally {
      stream.destroy();
    }
    return;
  }
  const input = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of input) {
    lineNumber += 1;
    if (line.trim() !== '') yield parse(line, lineNumber, path);
  }
}

/**
 * Streams the records of a sample log: `path` names `samples.jsonl` (its `.gz` sibling is read
 * when only that exists) or any log file, plain or gzip. A torn last line or gzip member (a crash
 * mid-write) is skipped; a bad line elsewhere is an error naming the line. No log yields nothing.
 */
export async function* readSampleLog(path: string): AsyncGenerator<SampleRecord> {
  const located = locateSampleLog(path);
  if (located === undefined) return;
  yield* readJsonlLog(located, parseLine, { corruptCode: 'SAMPLE_LOG_CORRUPT' });
}

/** As readSampleLog, one array of records per chunk read (see readJsonlLogBatches): for readers of millions of samples. */
export async function* readSampleLogBatches(path: string): AsyncGenerator<SampleRecord[]> {
  const located = locateSampleLog(path);
  if (located === undefined) return;
  yield* readJsonlLogBatches(located, parseLine, { corruptCode: 'SAMPLE_LOG_CORRUPT' });
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

/** Appends sample records to the sample log. */
export type SampleLogWriter = JsonlLogWriter<SampleRecord>;

/**
 * Opens the sample log for appending; `path` names `samples.jsonl`. An existing log (plain, or
 * `samples.jsonl.gz`) is continued in its own format, its torn tail cut first; a new one is
 * compressed (as `path.gz`) when `compress` is set. Write failures are StoreWriteErrors coded
 * `SAMPLE_LOG_WRITE_FAILED`. `flushEvery`: records per write (default 64).
 */
export function openSampleLog(path: string, options: Omit<JsonlLogOptions, 'name' | 'errorCode'> = {}): SampleLogWriter {
  const existing = locateSampleLog(path);
  const target = existing ?? (options.compress && !path.endsWith('.gz') ? `${path}.gz` : path);
  return openJsonlLog<SampleRecord>(target, { ...options, compress: target.endsWith('.gz'), name: 'sample log', errorCode: 'SAMPLE_LOG_WRITE_FAILED' });
}
