import { tempDir } from '../helpers/temp-dir.ts';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SampleRecord } from '../../harness/core/types.ts';
import { openSampleLog, readJsonlFile, readSampleLog, readSampleLogBatches, repairTornTail } from '../../harness/store/sample-log.ts';

function record(index: number): SampleRecord {
  return { v: 1, cell: 'm/d/think0/t0.6', problem: 'p1', index, seed: 1 + index, status: 'ok', text: `sample ${index}` };
}

async function readAll(path: string): Promise<SampleRecord[]> {
  const records: SampleRecord[] = [];
  for await (const entry of readSampleLog(path)) records.push(entry);
  return records;
}

describe('sample log', () => {
  it('round-trips records in order', async () => {
    const path = join(tempDir('sb-log-'), 'samples.jsonl');
    const log = openSampleLog(path, { flushEvery: 3 });
    for (let index = 0; index < 10; index += 1) log.append(record(index));
    log.close();
    expect((await readAll(path)).map((entry) => entry.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('ignores a torn last line and cuts it before appending', async () => {
    const path = join(tempDir('sb-log-'), 'samples.jsonl');
    writeFileSync(path, `${JSON.stringify(record(0))}\n${JSON.stringify(record(1)).slice(0, 25)}`);
    expect((await readAll(path)).map((entry) => entry.index)).toEqual([0]);
    const log = openSampleLog(path);
    log.append(record(1));
    log.close();
    expect((await readAll(path)).map((entry) => entry.index)).toEqual([0, 1]);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(3);
  });

  it('a bad line that is not the last one is an error naming the line', async () => {
    const path = join(tempDir('sb-log-'), 'samples.jsonl');
    writeFileSync(path, `${JSON.stringify(record(0))}\n{oops\n${JSON.stringify(record(2))}\n`);
    await expect(readAll(path)).rejects.toThrow(`${path}:2 is not valid JSON`);
  });

  it('repairTornTail leaves a complete file alone', () => {
    const path = join(tempDir('sb-log-'), 'samples.jsonl');
    writeFileSync(path, `${JSON.stringify(record(0))}\n`);
    repairTornTail(path);
    appendFileSync(path, '');
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(record(0))}\n`);
  });

  it('reading a missing file yields nothing', async () => {
    expect(await readAll('/nonexistent/samples.jsonl')).toEqual([]);
  });
});

describe('readSampleLogBatches', () => {
  async function readBatched(path: string): Promise<SampleRecord[]> {
    const records: SampleRecord[] = [];
    for await (const batch of readSampleLogBatches(path)) records.push(...batch);
    return records;
  }
  const long = (index: number): SampleRecord => ({ ...record(index), text: `sample ${index} ${'é∑ words '.repeat(index % 40)}` });
  const body = Array.from({ length: 12_000 }, (_, index) => JSON.stringify(long(index))).join('\n');

  it.each([
    ['several chunks, lines and UTF-8 characters split across them', `${body}\n`],
    ['blank lines between and after records', `${body.replace(/\n(?=\{"v":1,"cell":"m\/d\/think0\/t0.6","problem":"p1","index":7)/g, '\n\n  \n')}\n\n`],
    ['no newline after the last record', body],
    ['a torn last line', `${body}\n${JSON.stringify(long(12_000)).slice(0, 40)}`],
    ['a torn last line after a newline-less chunk end', `${JSON.stringify(long(0))}\n{"v":1`],
    ['only blank lines', '\n\n'],
    ['an empty file', ''],
  ])('yields what readSampleLog yields: %s', async (_name, content) => {
    const path = join(tempDir('sb-log-'), 'samples.jsonl');
    writeFileSync(path, content);
    const expected = await readAll(path);
    expect(await readBatched(path)).toEqual(expected);
  });

  it('reads a compressed log and yields nothing for a missing one', async () => {
    const path = join(tempDir('sb-log-'), 'samples.jsonl');
    const log = openSampleLog(path, { compress: true, flushEvery: 1000 });
    for (let index = 0; index < 3000; index += 1) log.append(long(index));
    log.close();
    expect((await readBatched(path)).map((entry) => entry.index)).toEqual(Array.from({ length: 3000 }, (_, index) => index));
    expect(await readBatched('/nonexistent/samples.jsonl')).toEqual([]);
  });

  it('a bad line that is not the last one is an error naming the line', async () => {
    const path = join(tempDir('sb-log-'), 'samples.jsonl');
    writeFileSync(path, `${JSON.stringify(record(0))}\n{oops\n${JSON.stringify(record(2))}\n`);
    await expect(readBatched(path)).rejects.toThrow(`${path}:2 is not valid JSON`);
  });
});

describe('readJsonlFile', () => {
  const asLine = (text: string, line: number, path: string): { line: number; value: unknown } => {
    try {
      return { line, value: JSON.parse(text) as unknown };
    } catch {
      throw new Error(`${path}:${line} is not valid JSON`);
    }
  };

  async function readLines(path: string): Promise<Array<{ line: number; value: unknown }>> {
    const lines: Array<{ line: number; value: unknown }> = [];
    for await (const entry of readJsonlFile(path, asLine)) lines.push(entry);
    return lines;
  }

  it('skips blank lines and numbers the others by their line in the file', async () => {
    const path = join(tempDir('sb-jsonl-'), 'rows.jsonl');
    writeFileSync(path, '{"a":1}\n\n  \r\n{"a":2}\r\n{"a":3}');
    expect(await readLines(path)).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { a: 2 } },
      { line: 5, value: { a: 3 } },
    ]);
  });

  it('reports a torn last line instead of skipping it (files written elsewhere)', async () => {
    const path = join(tempDir('sb-jsonl-'), 'rows.jsonl');
    writeFileSync(path, '{"a":1}\n{"a":');
    await expect(readLines(path)).rejects.toThrow(`${path}:2 is not valid JSON`);
  });
});
