import { tempDir } from '../helpers/temp-dir.ts';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { readSecrets, resolveConfig } from '../../harness/config/load-config.ts';
import { createRandom } from '../../harness/core/random.ts';
import type { SampleRecord } from '../../harness/core/types.ts';
import { buildReportData } from '../../harness/run/report-run.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';
import type { FakeFault, FakeServer } from '../fakes/fake-http.ts';
import { startFakeHuggingFace } from '../fakes/fake-huggingface.ts';
import { startFakeOllama } from '../fakes/fake-ollama.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';

/**
 * The example configs in configs/, pointed at in-process fake servers that fail 30% of
 * generation requests transiently: `run` completes with every sample stored exactly once, and
 * the report builds, as it would against the real servers.
 */
const faults: FakeFault[] = [{ kind: 'status', status: 429, retryAfter: '0' }, { kind: 'status', status: 503 }, { kind: 'reset' }, { kind: 'truncated' }];
function flaky(seed: number): (request: unknown, number: number) => FakeFault | undefined {
  const random = createRandom(seed);
  return () => {
    const draw = random.next();
    return draw < 0.3 ? faults[Math.floor((draw / 0.3) * faults.length)] : undefined;
  };
}

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function exampleConfig(file: string): Record<string, unknown> {
  return parse(readFileSync(resolve(import.meta.dirname, '../../configs', file), 'utf8')) as Record<string, unknown>;
}

const noSleep = async (): Promise<void> => {};

describe.each([
  [
    'openai-example.yaml',
    async () => {
      const server = await startFakeOpenAI({ faults: flaky(1) });
      servers.push(server);
      return { endpoints: [server.url] };
    },
  ],
  [
    'ollama-example.yaml',
    async () => {
      const server = await startFakeOllama({ faults: flaky(2) });
      servers.push(server);
      return { endpoints: [server.url] };
    },
  ],
  [
    'huggingface-example.yaml',
    async () => {
      const server = await startFakeHuggingFace({ faults: flaky(3) });
      servers.push(server);
      return { routerUrl: server.routerUrl, hubUrl: server.hubUrl };
    },
  ],
])('configs/%s against a fake server failing 30% of requests', (file, start) => {
  it('completes with every sample stored exactly once, and the report builds', async () => {
    const dir = tempDir('sb-backend-');
    const example = exampleConfig(file);
    const overrides = await start();
    const models = (example.models as Array<Record<string, unknown>>).map((model) => ({ ...model, ...overrides }));
    const config = resolveConfig(
      { ...example, models, datasets: [{ id: 'quickstart-math', limit: 6 }], sampling: { ...(example.sampling as object), samples: 8, k: [1, 2, 4, 8] } },
      { source: file, configDir: dir, cwd: dir },
    );
    const result = await runExperiment(config, { secrets: readSecrets(config, { OPENAI_API_KEY: 'sk-test', HF_TOKEN: 'hf_test' }), sleep: noSleep });
    expect(result.error?.message).toBeUndefined();
    expect(result.outcome).toBe('completed');
    const records = readFileSync(join(result.runDir, 'samples.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SampleRecord);
    const keys = records.map((record) => `${record.cell}|${record.problem}|${record.index}`);
    expect(records.every((record) => record.status === 'ok')).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(models.length * 6 * 8);
    expect(readFileSync(join(result.runDir, 'run.json'), 'utf8')).not.toMatch(/sk-test|hf_test/);
    const { data } = await buildReportData(result.runDir);
    expect(data.rows.map((row) => row.k)).toEqual(models.flatMap(() => [1, 2, 4, 8]));
  });
});
