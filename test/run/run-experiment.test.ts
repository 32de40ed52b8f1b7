import { tempDir } from '../helpers/temp-dir.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type ResolvedConfig } from '../../harness/config/load-config.ts';
import type { ModelConfig } from '../../harness/config/model-schema.ts';
import { ProviderError } from '../../harness/core/errors.ts';
import type { SampleRecord } from '../../harness/core/types.ts';
import { createSimProvider } from '../../harness/providers/sim/sim-provider.ts';
import type { GenerateRequest, Provider } from '../../harness/providers/types.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';

function config(outputDir: string, overrides: Record<string, unknown> = {}, samples = 20): ResolvedConfig {
  return resolveConfig(
    {
      name: 'unit',
      seed: 7,
      datasets: [{ id: 'quickstart-math', limit: 6 }, { id: 'quickstart-gsm', limit: 4 }],
      models: [{ id: 'sim-8b', provider: 'sim', profile: 'llama-3-8b-instruct-math' }],
      sampling: { samples, temperature: 0.8 },
      concurrency: 3,
      ...overrides,
    },
    { source: 'unit.yaml', configDir: outputDir, cwd: outputDir },
  );
}

function records(runDir: string): SampleRecord[] {
  return readFileSync(join(runDir, 'samples.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SampleRecord);
}

function byKey(list: SampleRecord[]): Map<string, SampleRecord> {
  const map = new Map<string, SampleRecord>();
  for (const record of list) if (record.status === 'ok') map.set(`${record.cell}|${record.problem}|${record.index}`, record);
  return map;
}

const noSleep = async (): Promise<void> => {};

describe('runExperiment', () => {
  it('stores one checked record per sample, each with its own seed', async () => {
    const dir = tempDir('sb-run-');
    const result = await runExperiment(config(dir));
    expect(result.outcome).toBe('completed');
    expect(result.drawn).toBe(10 * 20);
    const stored = records(result.runDir);
    expect(stored).toHaveLength(200);
    expect(byKey(stored).size).toBe(200);
    for (const record of stored) {
      expect(record.seed).toBe(7 + record.index);
      expect(record.verdict).toBeDefined();
    }
    expect(stored.some((record) => record.verdict?.correct)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(result.runDir, 'run.json'), 'utf8')) as { cells: Array<{ id: string; simulated: boolean }> };
    expect(manifest.cells.map((cell) => cell.id)).toEqual(['sim-8b/quickstart-math/think0/t0.8', 'sim-8b/quickstart-gsm/think0/t0.8']);
    expect(manifest.cells.every((cell) => cell.simulated)).toBe(true);
  });

  it('resumes: raising samples draws only the missing ones, and keeps the stored ones', async () => {
    const dir = tempDir('sb-run-');
    const first = await runExperiment(config(dir, {}, 10));
    expect(first.drawn).toBe(100);
    const before = byKey(records(first.runDir));
    const second = await runExperiment(config(dir, {}, 25));
    expect(second.resumed).toBe(100);
    expect(second.drawn).toBe(150);
    const after = records(second.runDir);
    expect(after).toHaveLength(250);
    const keyed = byKey(after);
    expect(keyed.size).toBe(250);
    for (const [key, record] of before) expect(keyed.get(key)?.text).toBe(record.text);
    const third = await runExperiment(config(dir, {}, 25));
    expect(third.drawn).toBe(0);
  });

  it('an interrupted run continues where it stopped and ends with the same samples as an uninterrupted one', async () => {
    const straight = await runExperiment(config(tempDir('sb-run-')));
    const dir = tempDir('sb-run-');
    const controller = new AbortController();
    const stopped = await runExperiment(config(dir, { concurrency: 1 }), {
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.done >= 45) controller.abort();
      },
      // One sample per request and a little slower, so that an abort lands mid-run.
      createProvider: (model) => oneSamplePerRequestSim(model, () => new Promise((resolve) => setImmediate(resolve))),
    });
    expect(stopped.outcome).toBe('interrupted');
    expect(stopped.error?.exitCode).toBe(130);
    const partial = records(stopped.runDir).length;
    expect(partial).toBeGreaterThanOrEqual(45);
    expect(partial).toBeLessThan(200);
    const resumed = await runExperiment(config(dir, { concurrency: 1 }));
    expect(resumed.resumed).toBe(partial);
    const expected = byKey(records(straight.runDir));
    const actual = byKey(records(resumed.runDir));
    expect(records(resumed.runDir)).toHaveLength(200);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, record] of expected) expect(actual.get(key)?.text).toBe(record.text);
  });

  it('completes with every sample stored exactly once when 30% of requests fail transiently', async () => {
    const dir = tempDir('sb-run-');
    let calls = 0;
    let failures = 0;
    const result = await runExperiment(config(dir, { models: [{ id: 'flaky', provider: 'sim', profile: 'llama-3-8b-instruct-math' }] }), {
      sleep: noSleep,
      createProvider: (model) =>
        oneSamplePerRequestSim(model, () => {
          calls += 1;
          // Deterministic 30% failure pattern: 3 of every 10 calls.
          if (calls % 10 < 3) {
            failures += 1;
            throw new ProviderError('HTTP_503', 'service unavailable', { retryable: true, status: 503 });
          }
        }),
    });
    expect(result.outcome).toBe('completed');
    expect(failures).toBeGreaterThan(50);
    const stored = records(result.runDir);
    expect(stored).toHaveLength(200);
    expect(byKey(stored).size).toBe(200);
    expect(stored.every((record) => record.status === 'ok')).toBe(true);
  });

  it('stops early on a non-retryable model-wide error (model not found) and says so', async () => {
    const dir = tempDir('sb-run-');
    const result = await runExperiment(config(dir), {
      sleep: noSleep,
      createProvider: (model) => ({
        ...createSimProvider(model as Extract<ModelConfig, { provider: 'sim' }>),
        async generate() {
          throw new ProviderError('MODEL_NOT_FOUND', "model 'x' not found", { retryable: false, status: 404, hint: 'run `ollama pull x`' });
        },
      }),
    });
    expect(result.outcome).toBe('failed');
    expect(result.error?.code).toBe('MODEL_NOT_FOUND');
    expect(result.error?.hint).toBe('run `ollama pull x`');
  });

  it.each([
    ['completes', undefined],
    ['fails model-wide', new ProviderError('MODEL_NOT_FOUND', "model 'x' not found", { retryable: false, status: 404 })],
  ])('closes every provider once when the run %s (an embedded engine frees its model)', async (_how, failure) => {
    const dir = tempDir('sb-run-');
    const closed: string[] = [];
    const result = await runExperiment(config(dir, { models: [{ id: 'sim-8b', provider: 'sim', profile: 'llama-3-8b-instruct-math' }, { id: 'sim-70b', provider: 'sim', profile: 'llama-3-70b-instruct-math' }] }, 4), {
      sleep: noSleep,
      createProvider: (model) => {
        const sim = createSimProvider(model as Extract<ModelConfig, { provider: 'sim' }>);
        return {
          ...sim,
          async generate(request: GenerateRequest) {
            if (failure) throw failure;
            return sim.generate(request);
          },
          async close() {
            closed.push(model.id);
          },
        };
      },
    });
    expect(result.outcome).toBe(failure ? 'failed' : 'completed');
    expect(closed.sort()).toEqual(['sim-70b', 'sim-8b']);
  });

  it('records failed samples as errors and fails past the error-rate limit', async () => {
    const dir = tempDir('sb-run-');
    const result = await runExperiment(config(dir, { maxErrorRate: 0.1, retry: { attempts: 2 } }), {
      sleep: noSleep,
      createProvider: (model) =>
        oneSamplePerRequestSim(model, (request) => {
          if (request.problemId.endsWith('1')) throw new ProviderError('HTTP_500', 'internal error', { retryable: true, status: 500 });
        }),
    });
    expect(result.outcome).toBe('failed');
    expect(result.error?.code).toBe('ERROR_RATE_EXCEEDED');
    const errors = records(result.runDir).filter((record) => record.status === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.error).toEqual({ code: 'HTTP_500', message: 'internal error (after 2 attempts)', attempts: 2, status: 500 });
  });

  it('refuses to mix samples of changed settings into a run', async () => {
    const dir = tempDir('sb-run-');
    await runExperiment(config(dir, {}, 2));
    await expect(runExperiment(config(dir, { seed: 8 }, 2))).rejects.toThrowError(expect.objectContaining({ code: 'RUN_CONFIG_CHANGED' }));
  });
});

/** The sim provider with one sample per request, calling `before` ahead of each request (to delay or fail it). */
function oneSamplePerRequestSim(model: ModelConfig, before: (request: GenerateRequest) => void | Promise<void>): Provider {
  const inner = createSimProvider(model as Extract<ModelConfig, { provider: 'sim' }>);
  return {
    ...inner,
    maxSamplesPerRequest: 1,
    async generate(request) {
      await before(request);
      return inner.generate(request);
    },
  };
}
