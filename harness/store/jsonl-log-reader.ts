/**
 * Reading an append-only JSONL log, plain or gzip-compressed (told apart by the gzip magic
 * number, not the name), as a stream: memory holds one chunk and one line, never the file.
 */
import { createReadStream, existsSync } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { HarnessError } from '../core/errors.ts';
import { isGzipFile } from './gzip-members.ts';
import { scanOrThrow } from './log-repair.ts';

/** The byte stream of a log's records: plain bytes, or the complete gzip members inflated. */
export function openLogStream(path: string, corruptCode: string): Readable | undefined {
  if (!isGzipFile(path)) return createReadStream(path);
  const scan = scanOrThrow(path, corruptCode);
  // A torn last member (a kill mid-flush) is left out: it is cut on the next append.
  if (scan.validBytes === 0) return undefined;
  const gunzip = createGunzip();
  return pipeline(createReadStream(path, { start: 0, end: scan.validBytes - 1 }), gunzip, () => {
    // Errors reach the consumer through the gunzip stream's iterator.
  });
}

/** The lines of a byte stream, with their line numbers (from 1). */
export async function* lines(stream: Readable): AsyncGenerator<{ text: string; line: number }> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    rest += decoder.write(chunk);
    let start = 0;
    let end = rest.indexOf('\n', start);
    while (end >= 0) {
      line += 1;
      yield { text: rest.slice(start, end), line };
      start = end + 1;
      end = rest.indexOf('\n', start);
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') yield { text: rest, line: line + 1 };
}

/**
 * Streams the records of an append-only JSONL log (plain or compressed), each parsed by `parse`
 * (which throws on a bad line). A torn last line or gzip member (a crash mid-write) is skipped;
 * a bad line elsewhere is an error. A missing file yields nothing.
 * `corruptCode`: error code for a damaged compressed log (default LOG_CORRUPT).
 */
export async function* readJsonlLog<T>(path: string, parse: (text: string, line: number, path: string) => T, options: { corruptCode?: string } = {}): AsyncGenerator<T> {
  for await (const batch of readJsonlLogBatches(path, parse, options)) yield* batch;
}

/**
 * The records of a JSONL log, one array per chunk read (64 KiB of the log) (readJsonlLog flattens them):
 * a log of ten million lines then costs a hundred thousand asynchronous steps, not thirty million.
 * (Larger reads are slower: joining and decoding megabyte strings costs more than it saves.) Same records, same order, same
 * torn-tail and error handling; a bad line stops the read before the records of its chunk are yielded.
 */
export async function* readJsonlLogBatches<T>(path: string, parse: (text: string, line: number, path: string) => T, options: { corruptCode?: string } = {}): AsyncGenerator<T[]> {
  if (!existsSync(path)) return;
  const corruptCode = options.corruptCode ?? 'LOG_CORRUPT';
  const stream = openLogStream(path, corruptCode);
  if (!stream) return;
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  // The last non-blank line seen, parsed only once a later line shows it is not the torn tail.
  let pendingText: string | undefined;
  let pendingLine = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      rest += decoder.write(chunk);
      const records: T[] = [];
      let start = 0;
      let end = rest.indexOf('\n', start);
      while (end >= 0) {
        line += 1;
        const text = rest.slice(start, end);
        if (pendingText !== undefined) {
          records.push(parse(pendingText, pendingLine, path));
          pendingText = undefined;
        }
        if (text.trim() !== '') {
          pendingText = text;
          pendingLine = line;
        }
        start = end + 1;
        end = rest.indexOf('\n', start);
      }
      rest = rest.slice(start);
      if (records.length > 0) yield records;
    }
    rest += decoder.end();
    if (rest !== '') {
      line += 1;
      if (pendingText !== undefined) {
        const previous = parse(pendingText, pendingLine, path);
        pendingText = undefined;
        yield [previous];
      }
      if (rest.trim() !== '') {
        pendingText = rest;
        pendingLine = line;
      }
    }
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw new HarnessError(corruptCode, `${path} could not be read: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'The log was damaged (a compressed member fails its check); restore it from a copy, or cut the damaged part off its end.',
      cause: error,
    });
  } finally {
    stream.destroy();
  }
  if (pendingText !== undefined) {
    // The last line may be torn by a crash: keep it only when it parses.
    let last: T;
    try {
      last = parse(pendingText, pendingLine, path);
    } catch {
      return;
    }
    yield [last];
  }
}
