import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ResolvedConfig } from '../../harness/config/load-config.ts';
import type { SampleRecord } from '../../harness/core/types.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';
import { readStoredSlots } from '../../harness/run/resume-state.ts';
import { parseShard, resolveShard } from '../../harness/run/shard.ts';
import { createSlotBits } from '../../harness/run/slot-bits.ts';
import { mergeShards } from '../../harness/import/merge-shards.ts';
import { acquireRunLock } from '../../harness/store/run-lock.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-parts-'));
  made.push(dir);
  return dir;
}

function config(outputDir: string, samples = 12): ResolvedConfig {
  return resolveConfig(
    {
      name: 'parts',
      seed: 5,
      datasets: [{ id: 'quickstart-math', limit: 7 }, { id: 'quickstart-gsm', limit: 5 }],
      models: [{ id: 'sim-8b', provider: 'sim', profile: 'llama-3-8b-instruct-math' }],
      sampling: { samples, temperature: 0.8 },
      concurrency: 3,
    },
    { source: 'parts.yaml', configDir: outputDir, cwd: outputDir },
  );
}

function records(runDir: string): SampleRecord[] {
  return readFileSync(join(runDir, 'samples.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SampleRecord);
}

/** A record's identity without its timing fields. */
function essence(record: SampleRecord): string {
  return JSON.stringify([record.cell, record.problem, record.index, record.seed, record.text, record.verdict, record.usage]);
}

describe('slot bits', () => {
  it('sets each slot once and ignores indices outside 0…n−1 (no array sized by a record’s index)', () => {
    const bits = createSlotBits(10);
    expect(bits.set('c', 'p', 3)).toBe(true);
    expect(bits.set('c', 'p', 3)).toBe(false);
    expect(bits.set('c', 'p', 4_000_000_000)).toBe(false);
    expect(bits.set('c', 'p', -1)).toBe(false);
    expect(bits.set('c', 'p', 1.5)).toBe(false);
    expect(bits.has('c', 'p', 3)).toBe(true);
    expect(bits.has('c', 'p', 2)).toBe(false);
    expect(bits.count('c')).toBe(1);
    expect(bits.bitsOf('c', 'p')?.length).toBe(2);
  });

  it('resume counts ok records once per slot, not errors', async () => {
    async function* log(): AsyncGenerator<SampleRecord> {
      const base = { v: 1 as const, cell: 'c', problem: 'p', seed: 0 };
      yield { ...base, index: 0, status: 'ok' };
      yield { ...base, index: 0, status: 'ok' };
      yield { ...base, index: 1, status: 'error' };
      yield { ...base, index: 2, status: 'ok' };
      yield { ...base, index: 99, status: 'ok' };
    }
    const { stored, count } = await readStoredSlots(log(), 4);
    expect(count).toBe(2);
    expect([0, 1, 2, 3].map((index) => stored.has('c', 'p', index))).toEqual([true, false, true, false]);
  });
});

describe('shards', () => {
  it.each([
    ['0/4', { index: 0, count: 4 }],
    [' 3 / 4 ', { index: 3, count: 4 }],
  ])('parses --shard %s', (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  it.each(['4/4', '-1/4', 'a/b', '1/0', '1'])('refuses --shard %s', (text) => {
    expect(() => parseShard(text)).toThrow(expect.objectContaining({ code: 'SHARD_INVALID' }));
  });

  it('takes the shard from SLURM array and Kubernetes indexed-job variables', () => {
    expect(resolveShard({}, { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 2, count: 4 });
    expect(resolveShard({ shards: 3 }, { JOB_COMPLETION_INDEX: '2' })).toEqual({ index: 2, count: 3 });
    expect(resolveShard({ configShards: 3 }, { JOB_COMPLETION_INDEX: '1' })).toEqual({ index: 1, count: 3 });
    expect(resolveShard({ shard: '1/2' }, { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 1, count: 2 });
    expect(resolveShard({}, {})).toBeUndefined();
    expect(() => resolveShard({}, { JOB_COMPLETION_INDEX: '0' })).toThrow(expect.objectContaining({ code: 'SHARD_INVALID' }));
    expect(() => resolveShard({ shards: 2 }, {})).toThrow(expect.objectContaining({ code: 'SHARD_INVALID' }));
  });

  it('three shards draw exactly the samples of the unsharded run, each in its own folder', async () => {
    const dir = tempDir();
    const whole = await runExperiment(config(join(dir, 'whole')));
    expect(whole.outcome).toBe('completed');
    const union: string[] = [];
    const problemsPerShard: number[] = [];
    for (let index = 0; index < 3; index += 1) {
      const part = await runExperiment(config(join(dir, 'sharded')), { shard: { index, count: 3 } });
      expect(part.runDir).toBe(join(dir, 'sharded', 'reports', 'parts', 'shards', `${index}-of-3`));
      const stored = records(part.runDir);
      problemsPerShard.push(new Set(stored.map((record) => `${record.cell}|${record.problem}`)).size);
      union.push(...stored.map(essence));
    }
    expect(problemsPerShard).toEqual([5, 4, 3]);
    expect(union.sort()).toEqual(records(whole.runDir).map(essence).sort());
  });

  it('merge refuses while a shard is still held (RUN_LOCKED), writes nothing, and merges once it is free', async () => {
    const dir = tempDir();
    const parts = [0, 1].map(async (index) => (await runExperiment(config(dir, 4), { shard: { index, count: 2 } })).runDir);
    const [first, second] = await Promise.all(parts);
    const runDir = join(dir, 'reports', 'parts');
    const held = acquireRunLock(second as string, { command: 'run' });
    try {
      await expect(mergeShards(runDir)).rejects.toMatchObject({ code: 'RUN_LOCKED' });
      expect(existsSync(join(runDir, 'samples.jsonl'))).toBe(false);
      expect(existsSync(join(first as string, 'run.lock'))).toBe(false);
    } finally {
      held.release();
    }
    const merged = await mergeShards(runDir);
    expect(merged.written).toBe(records(first as string).length + records(second as string).length);
    expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
  });
});
