import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { SampleRecord } from '../../harness/core/types.ts';
import { scanMembers } from '../../harness/store/gzip-members.ts';
import { COMPRESSED_SAMPLES_FILE, openSampleLog, readSampleLog, SAMPLES_FILE } from '../../harness/store/sample-log.ts';
import { StoreWriteError } from '../../harness/store/store-errors.ts';
import { faultyFs } from './faulty-fs.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-logw-'));
  folders.push(dir);
  return dir;
}

function record(index: number): SampleRecord {
  return { v: 1, cell: 'm/d/think0/t0.6', problem: 'p1', index, seed: 1 + index, status: 'ok', text: `sample ${index} ${'x'.repeat(index % 7)}` };
}

async function indices(path: string): Promise<number[]> {
  const found: number[] = [];
  for await (const entry of readSampleLog(path)) found.push(entry.index);
  return found;
}

/** Every line of a plain log parses and the file ends on a newline. */
function assertValidPlain(path: string): void {
  const text = readFileSync(path, 'utf8');
  if (text === '') return;
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
}

describe.each([false, true])('log writer (compress %s)', (compress) => {
  const logName = compress ? COMPRESSED_SAMPLES_FILE : SAMPLES_FILE;

  it('loops on a short write: every record lands once, in order', async () => {
    const dir = folder();
    const fs = faultyFs({ shortWrites: [5, 1] });
    const log = openSampleLog(join(dir, SAMPLES_FILE), { flushEvery: 4, compress, fs });
    for (let index = 0; index < 10; index += 1) log.append(record(index));
    log.close();
    expect(await indices(join(dir, SAMPLES_FILE))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(statSync(join(dir, logName)).isFile()).toBe(true);
  });

  it('an ENOSPC after a short write is fatal, coded, cut back to the last record, and every later append throws it', async () => {
    const dir = folder();
    const fs = faultyFs();
    const log = openSampleLog(join(dir, SAMPLES_FILE), { flushEvery: 4, compress, fs });
    for (let index = 0; index < 4; index += 1) log.append(record(index));
    const second = (): void => {
      for (let index = 4; index < 8; index += 1) log.append(record(index));
    };
    // The second batch: its first writeSync stores only 7 bytes, the next throws ENOSPC.
    let thrown: unknown;
    const originalWrite = fs.writeSync;
    let writes = 0;
    fs.writeSync = (fd, buffer, offset, length) => {
      writes += 1;
      if (writes === 1) return originalWrite(fd, buffer, offset, Math.min(length, 7));
      if (writes === 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return originalWrite(fd, buffer, offset, length);
    };
    try {
      second();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StoreWriteError);
    const failure = thrown as StoreWriteError;
    expect(failure.code).toBe('SAMPLE_LOG_WRITE_FAILED');
    expect(failure.osCode).toBe('ENOSPC');
    expect(failure.exitCode).toBe(1);
    expect(failure.message).toBe(`could not write sample log ${join(dir, logName)}: ENOSPC: no space left on device, write`);
    expect(failure.hint).toContain('disk (or your quota) is full');
    expect(() => log.append(record(9))).toThrow(failure);
    expect(() => log.flush()).toThrow(failure);
    log.close();
    if (!compress) assertValidPlain(join(dir, logName));
    else expect(scanMembers(join(dir, logName))).toMatchObject({ members: 1, validBytes: statSync(join(dir, logName)).size });
    expect(await indices(join(dir, SAMPLES_FILE))).toEqual([0, 1, 2, 3]);
  });

  it('a kill after any number of bytes leaves a log that reads to whole batches and appends cleanly', async () => {
    const dir = folder();
    const full = openSampleLog(join(dir, SAMPLES_FILE), { flushEvery: 3, compress });
    for (let index = 0; index < 9; index += 1) full.append(record(index));
    full.close();
    const total = statSync(join(dir, logName)).size;
    rmSync(join(dir, logName));
    for (let kill = 0; kill <= total; kill += 1) {
      const fs = faultyFs({ killAfterBytes: kill });
      const log = openSampleLog(join(dir, SAMPLES_FILE), { flushEvery: 3, compress, fs });
      try {
        for (let index = 0; index < 9; index += 1) log.append(record(index));
        log.close();
      } catch (error) {
        expect((error as StoreWriteError).code).toBe('SAMPLE_LOG_WRITE_FAILED');
        log.close();
      }
      const read = await indices(join(dir, SAMPLES_FILE));
      expect(read.length % 3 === 0 || read.length === 9).toBe(true);
      expect(read).toEqual([...Array(read.length).keys()]);
      // Resume: append the rest; nothing is torn, duplicated or lost.
      const resumed = openSampleLog(join(dir, SAMPLES_FILE), { flushEvery: 3, compress });
      for (let index = read.length; index < 9; index += 1) resumed.append(record(index));
      resumed.close();
      expect(await indices(join(dir, SAMPLES_FILE))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      rmSync(join(dir, logName));
    }
  });
});

describe('compressed sample log', () => {
  it('is one gzip stream that zcat reads, one member per flush', () => {
    const dir = folder();
    const log = openSampleLog(join(dir, SAMPLES_FILE), { flushEvery: 2, compress: true });
    for (let index = 0; index < 5; index += 1) log.append(record(index));
    log.close();
    const path = join(dir, COMPRESSED_SAMPLES_FILE);
    expect(scanMembers(path)).toMatchObject({ members: 3, foreign: false });
    const text = gunzipSync(readFileSync(path)).toString('utf8');
    expect(text).toBe([0, 1, 2, 3, 4].map((index) => `${JSON.stringify(record(index))}\n`).join(''));
  });

  it('drops a torn trailing member when read, and cuts it before appending', async () => {
    const dir = folder();
    const path = join(dir, COMPRESSED_SAMPLES_FILE);
    const log = openSampleLog(join(dir, SAMPLES_FILE), { flushEvery: 2, compress: true });
    for (let index = 0; index < 4; index += 1) log.append(record(index));
    log.close();
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 5));
    expect(await indices(join(dir, SAMPLES_FILE))).toEqual([0, 1]);
    const again = openSampleLog(join(dir, SAMPLES_FILE), { compress: true });
    again.append(record(2));
    again.close();
    expect(await indices(join(dir, SAMPLES_FILE))).toEqual([0, 1, 2]);
  });

  it('a damaged member mid-file is an error naming the offset', async () => {
    const dir = folder();
    const path = join(dir, COMPRESSED_SAMPLES_FILE);
    const log = openSampleLog(join(dir, SAMPLES_FILE), { flushEvery: 2, compress: true });
    for (let index = 0; index < 6; index += 1) log.append(record(index));
    log.close();
    const bytes = readFileSync(path);
    const second = scanMembers(path).validBytes / 3;
    const damaged = Buffer.from(bytes);
    damaged[Math.floor(second)] = 0;
    writeFileSync(path, damaged);
    await expect(indices(join(dir, SAMPLES_FILE))).rejects.toMatchObject({ code: 'SAMPLE_LOG_CORRUPT' });
  });

  it('a run that started plain stays plain; both files at once is an error', async () => {
    const dir = folder();
    const plain = openSampleLog(join(dir, SAMPLES_FILE));
    plain.append(record(0));
    plain.close();
    const resumed = openSampleLog(join(dir, SAMPLES_FILE), { compress: true });
    resumed.append(record(1));
    resumed.close();
    expect(resumed.compressed).toBe(false);
    expect(await indices(join(dir, SAMPLES_FILE))).toEqual([0, 1]);
    writeFileSync(join(dir, COMPRESSED_SAMPLES_FILE), '');
    await expect(indices(join(dir, SAMPLES_FILE))).rejects.toMatchObject({ code: 'SAMPLE_LOG_AMBIGUOUS' });
  });
});
