import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTemporaryFiles, writeFileAtomic } from '../../harness/store/atomic-file.ts';
import { FileWriteError, openAtomicFile, writeFileAtomic as writeCoreFileAtomic } from '../../harness/core/atomic-file.ts';
import { writeReport } from '../../harness/report/write-report.ts';
import { buildReportData } from '../../harness/run/report-run.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';
import { resolveConfig } from '../../harness/config/load-config.ts';
import { StoreWriteError } from '../../harness/store/store-errors.ts';
import { faultyFs } from './faulty-fs.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-atomic-'));
  folders.push(dir);
  return dir;
}

/** Every file under `dir` (relative path → content). */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'latin1'));
    }
  };
  walk(dir);
  return files;
}

describe('writeFileAtomic', () => {
  it.each(['ENOSPC', 'EIO'])('a failure (%s) at any call keeps the previous version and leaves no temporary file', (code) => {
    const dir = folder();
    const path = join(dir, 'metrics.csv');
    writeFileSync(path, 'old\n');
    // open, write, fsync, close, rename: fail each in turn.
    for (let at = 1; at <= 5; at += 1) {
      const fs = faultyFs({ failCall: { at, code } });
      expect(() => writeFileAtomic(path, 'new content\n', { fs })).toThrow(StoreWriteError);
      expect(readFileSync(path, 'utf8')).toBe('old\n');
      expect(readdirSync(dir)).toEqual(['metrics.csv']);
    }
    writeFileAtomic(path, 'new content\n');
    expect(readFileSync(path, 'utf8')).toBe('new content\n');
    expect(readdirSync(dir)).toEqual(['metrics.csv']);
  });

  it('the error names the file, the OS code and what to do', () => {
    const dir = folder();
    const fs = faultyFs({ failWrites: ['ENOSPC'] });
    let error: StoreWriteError | undefined;
    try {
      writeFileAtomic(join(dir, 'index.html'), '<html>', { fs, errorCode: 'REPORT_WRITE_FAILED' });
    } catch (thrown) {
      error = thrown as StoreWriteError;
    }
    expect(error?.code).toBe('REPORT_WRITE_FAILED');
    expect(error?.message).toBe(`could not write file ${join(dir, 'index.html')}: ENOSPC: injected`);
    expect(error?.hint).toBe(`The disk (or your quota) is full: free space where ${join(dir, 'index.html')} lives (see \`df -h\`), then run the same command again.`);
  });

  it('the core writer (datasets cache) throws FileWriteError by default, or the error its caller builds', () => {
    const dir = folder();
    const path = join(dir, 'tests.jsonl');
    writeFileSync(path, 'old\n');
    const thrown = ((): unknown => {
      try {
        writeCoreFileAtomic(path, 'new\n', { fs: faultyFs({ failWrites: ['EIO'] }) });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(FileWriteError);
    expect((thrown as FileWriteError).code).toBe('FILE_WRITE_FAILED');
    expect((thrown as FileWriteError).message).toBe(`could not write file ${path}: EIO: injected`);
    const custom = new Error('custom');
    expect(() => writeCoreFileAtomic(path, 'new\n', { fs: faultyFs({ failWrites: ['ENOSPC'] }), onFailure: () => custom })).toThrow(custom);
    expect(readFileSync(path, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['tests.jsonl']);
  });

  it('the core writer streams chunks and shows nothing before commit', () => {
    const dir = folder();
    const path = join(dir, 'tests.jsonl');
    const file = openAtomicFile(path);
    file.write('{"input":"1"}\n');
    file.write(Buffer.from('{"input":"2"}\n'));
    expect(existsSync(path)).toBe(false);
    file.commit();
    file.abort();
    expect(readFileSync(path, 'utf8')).toBe('{"input":"1"}\n{"input":"2"}\n');
    expect(readdirSync(dir)).toEqual(['tests.jsonl']);
  });

  it('removeTemporaryFiles removes what a kill left, and nothing else', () => {
    const dir = folder();
    for (const name of ['.index.html.tmp-123-ab12cd34', 'run.json.tmp-99', 'metrics.csv', 'notes.tmp']) writeFileSync(join(dir, name), 'x');
    expect(removeTemporaryFiles(dir).sort()).toEqual(['.index.html.tmp-123-ab12cd34', 'run.json.tmp-99']);
    expect(readdirSync(dir).sort()).toEqual(['metrics.csv', 'notes.tmp']);
  });
});

describe('writeReport stopped at any file-system call', () => {
  it('leaves every report file at its previous or its complete new version, and no temporary file', async () => {
    const dir = folder();
    const config = resolveConfig(
      {
        name: 'atomic',
        seed: 5,
        datasets: [{ id: 'quickstart-math', limit: 4 }],
        models: [{ id: 'sim-8b', provider: 'sim', profile: 'llama-3-8b-instruct-math' }],
        sampling: { samples: 8, temperature: 0.8 },
      },
      { source: 'atomic.yaml', configDir: dir, cwd: dir },
    );
    const run = await runExperiment(config);
    const previousData = (await buildReportData(run.runDir, { now: () => new Date('2026-01-01T00:00:00.000Z') })).data;
    const nextData = (await buildReportData(run.runDir, { now: () => new Date('2026-02-02T00:00:00.000Z') })).data;
    nextData.title = 'atomic (new version)';
    const reportDir = join(dir, 'report');
    mkdirSync(reportDir);
    await writeReport(previousData, reportDir, { figures: false });
    const previous = snapshot(reportDir);
    const complete = folder();
    await writeReport(nextData, complete, { figures: false });
    const next = snapshot(complete);
    // Count the calls of one whole write, then stop at each of them in turn (a deterministic kill).
    const counter = faultyFs();
    const scratch = folder();
    await writeReport(nextData, scratch, { figures: false, fs: counter });
    expect(counter.calls).toBeGreaterThan(8);
    for (let at = 1; at <= counter.calls; at += 1) {
      await expect(writeReport(nextData, reportDir, { figures: false, fs: faultyFs({ failCall: { at, code: 'ENOSPC' } }) })).rejects.toThrow(StoreWriteError);
      const now = snapshot(reportDir);
      expect([...now.keys()].sort()).toEqual([...previous.keys()].sort());
      for (const [name, content] of now) expect(content === previous.get(name) || content === next.get(name)).toBe(true);
      await writeReport(previousData, reportDir, { figures: false });
    }
    expect(existsSync(join(reportDir, 'metrics.csv'))).toBe(true);
  });
});
