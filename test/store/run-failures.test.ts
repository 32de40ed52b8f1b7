import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ResolvedConfig } from '../../harness/config/load-config.ts';
import type { SampleRecord } from '../../harness/core/types.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';
import { readManifest } from '../../harness/store/run-manifest.ts';
import { LOCK_FILE } from '../../harness/store/run-lock.ts';
import { readSampleLog, SAMPLES_FILE } from '../../harness/store/sample-log.ts';
import { faultyFs } from './faulty-fs.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function config(outputDir: string, compressSamples: boolean): ResolvedConfig {
  return resolveConfig(
    {
      name: 'disk',
      seed: 3,
      datasets: [{ id: 'quickstart-math', limit: 5 }],
      models: [{ id: 'sim-8b', provider: 'sim', profile: 'llama-3-8b-instruct-math' }],
      sampling: { samples: 200, temperature: 0.8 },
      concurrency: 2,
      compressSamples,
    },
    { source: 'disk.yaml', configDir: outputDir, cwd: outputDir },
  );
}

async function stored(runDir: string): Promise<SampleRecord[]> {
  const records: SampleRecord[] = [];
  for await (const record of readSampleLog(join(runDir, SAMPLES_FILE))) records.push(record);
  return records;
}

describe.each([false, true])('a run whose sample log fails to append (compressSamples %s)', (compress) => {
  it('stops with SAMPLE_LOG_WRITE_FAILED (exit 1), keeps a valid log, records the session failed; a rerun completes with every slot once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-disk-'));
    folders.push(dir);
    // The fifth write comes up short, the sixth fails with ENOSPC: the run has stored 4 batches by then.
    const fs = faultyFs();
    let writes = 0;
    const write = fs.writeSync;
    fs.writeSync = (fd, buffer, offset, length) => {
      writes += 1;
      if (writes === 5) return write(fd, buffer, offset, Math.min(length, 100));
      if (writes === 6) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return write(fd, buffer, offset, length);
    };
    const failed = await runExperiment(config(dir, compress), { storeFs: fs });
    expect(failed.outcome).toBe('failed');
    expect(failed.error?.code).toBe('SAMPLE_LOG_WRITE_FAILED');
    expect(failed.error?.exitCode).toBe(1);
    expect(failed.error?.message).toContain('ENOSPC');
    expect(failed.errors).toBe(0); // never turned into per-sample error records
    const afterFailure = await stored(failed.runDir);
    expect(afterFailure.length).toBe(4 * 64);
    expect(afterFailure.every((record) => record.status === 'ok')).toBe(true);
    const session = readManifest(failed.runDir).sessions.at(-1);
    expect(session?.outcome).toBe('failed');
    expect(session?.error?.code).toBe('SAMPLE_LOG_WRITE_FAILED');
    expect(readdirSync(failed.runDir).filter((name) => name.includes('.tmp-') || name === LOCK_FILE)).toEqual([]);

    const rerun = await runExperiment(config(dir, compress));
    expect(rerun.outcome).toBe('completed');
    expect(rerun.resumed).toBe(4 * 64);
    const records = await stored(rerun.runDir);
    const keys = records.map((record) => `${record.cell}|${record.problem}|${record.index}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(5 * 200);
    expect(readManifest(rerun.runDir).sessions.map((entry) => entry.outcome)).toEqual(['failed', 'completed']);
    if (!compress) expect(readFileSync(join(rerun.runDir, SAMPLES_FILE), 'utf8').endsWith('\n')).toBe(true);
  });
});

describe('run.json sessions', () => {
  it('a session that throws is recorded failed with its code; a session lost to a kill is recorded interrupted on the next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-sess-'));
    folders.push(dir);
    const base = config(dir, false);
    const first = await runExperiment(base);
    expect(first.outcome).toBe('completed');
    // A provider factory that throws after run.json has its new session: the session must not stay `running`.
    await expect(
      runExperiment({ ...base, sampling: { ...base.sampling, samples: 300 } }, {
        createProvider: () => {
          throw Object.assign(new Error('factory broke'), {});
        },
      }),
    ).rejects.toThrow('factory broke');
    const sessions = readManifest(first.runDir).sessions;
    expect(sessions.map((session) => session.outcome)).toEqual(['completed', 'failed']);
    expect(sessions[1]?.error).toEqual({ code: 'UNEXPECTED', message: 'factory broke' });
  });
});
