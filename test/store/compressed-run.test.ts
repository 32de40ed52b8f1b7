/** A run with `compressSamples: true`: every reader of the log (resume, report, import of the run, merge) takes it. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ResolvedConfig } from '../../harness/config/load-config.ts';
import { importSamples } from '../../harness/import/import-samples.ts';
import { mergeRuns } from '../../harness/import/merge-runs.ts';
import { reportRun } from '../../harness/run/report-run.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';
import { COMPRESSED_SAMPLES_FILE, readSampleLog, SAMPLES_FILE } from '../../harness/store/sample-log.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function config(dir: string, name: string, compressSamples: boolean, samples: number): ResolvedConfig {
  return resolveConfig(
    {
      name,
      seed: 4,
      datasets: [{ id: 'quickstart-math', limit: 6 }],
      models: [{ id: 'sim-8b', provider: 'sim', profile: 'llama-3-8b-instruct-math' }],
      sampling: { samples, temperature: 0.8 },
      compressSamples,
    },
    { source: `${name}.yaml`, configDir: dir, cwd: dir },
  );
}

async function slots(path: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const record of readSampleLog(path)) keys.push(`${record.cell}|${record.problem}|${record.index}`);
  return keys.sort();
}

describe('a compressed run', () => {
  it('writes samples.jsonl.gz, resumes it, and reports, imports and merges exactly as the plain run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-gz-'));
    folders.push(dir);
    // Both runs are drawn in the same two sessions (10 samples per problem, then resumed to 24), so
    // their requests, and with them the compute columns of metrics.csv, are the same.
    await runExperiment(config(dir, 'plain', false, 10));
    const plain = await runExperiment(config(dir, 'plain', false, 24));
    await runExperiment(config(dir, 'packed', true, 10));
    const packed = await runExperiment(config(dir, 'packed', true, 24));
    expect(packed.resumed).toBe(6 * 10);
    expect(existsSync(join(packed.runDir, SAMPLES_FILE))).toBe(false);
    const gz = readFileSync(join(packed.runDir, COMPRESSED_SAMPLES_FILE));
    expect(gz.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(gz).toString('utf8').split('\n').filter((line) => line !== '')).toHaveLength(6 * 24);
    expect(await slots(join(packed.runDir, SAMPLES_FILE))).toEqual(await slots(join(plain.runDir, SAMPLES_FILE)));

    await reportRun(plain.runDir);
    await reportRun(packed.runDir);
    expect(readFileSync(join(packed.runDir, 'metrics.csv'), 'utf8')).toBe(readFileSync(join(plain.runDir, 'metrics.csv'), 'utf8'));

    const imported = await importSamples({ source: packed.runDir, outDir: join(dir, 'imported') });
    expect(imported.samples).toBe(6 * 24);

    const merged = await mergeRuns([packed.runDir, plain.runDir], join(dir, 'merged'));
    expect(merged.written).toBe(6 * 24);
    expect(existsSync(join(dir, 'merged', COMPRESSED_SAMPLES_FILE))).toBe(true);
  });
});
