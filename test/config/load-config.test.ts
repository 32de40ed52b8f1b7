import { tempDir } from '../helpers/temp-dir.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultKValues, loadConfig, readSecrets, resolveConfig, serialisableConfig } from '../../harness/config/load-config.ts';
import { ConfigError } from '../../harness/core/errors.ts';

const base = {
  name: 'demo',
  datasets: ['quickstart-math'],
  models: [{ id: 'a', provider: 'sim', profile: 'llama-3-8b-instruct-math' }],
  sampling: { samples: 10 },
};

function errorOf(value: unknown): ConfigError {
  try {
    resolveConfig(value, { source: 'c.yaml', configDir: '/tmp', cwd: '/tmp' });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('fills every default', () => {
    const config = resolveConfig(base, { source: 'c.yaml', configDir: '/tmp', cwd: '/work' });
    expect(config.ks).toEqual([1, 2, 4, 8, 10]);
    expect(config.temperatures).toEqual([0.6]);
    expect(config.sampling.thinkingBudgets).toEqual([0]);
    expect(config.concurrency).toBe(8);
    expect(config.seed).toBe(1);
    expect(config.outputDir).toBe('/work/reports');
    expect(config.datasets).toEqual([{ id: 'quickstart-math' }]);
    expect(config.retry).toEqual({ attempts: 6, baseDelayMs: 500, maxDelayMs: 60_000, timeoutMs: 300_000 });
  });

  it.each([
    [{ ...base, datasts: [] }, "unknown key 'datasts' (did you mean 'datasets'?) in (top level)"],
    [{ ...base, sampling: { samples: 10, temprature: 0.7 } }, "unknown key 'temprature' (did you mean 'temperature'?) in sampling"],
    [{ ...base, models: [{ id: 'a', provider: 'sim', profil: 'x' }] }, "unknown key 'profil' (did you mean 'profile'?) in models[0]"],
    [{ ...base, models: [{ id: 'a', provider: 'olama', model: 'x' }] }, 'models[0].provider: unknown provider "olama" (did you mean \'ollama\'?)'],
    [{ ...base, models: [{ id: 'a', provider: 'openai', model: 'm', samplesPerReqest: 4 }] }, "unknown key 'samplesPerReqest' (did you mean 'samplesPerRequest'?) in models[0]"],
  ])('names a misspelt key and suggests the right one (%#)', (value, expected) => {
    const error = errorOf(value);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message.split('\n')[1]).toBe(`  - ${expected}`);
  });

  it('rejects k above the number of samples', () => {
    const error = errorOf({ ...base, sampling: { samples: 10, k: [1, 20] } });
    expect(error.code).toBe('CONFIG_K_EXCEEDS_SAMPLES');
    expect(error.hint).toBe('Every k must be at most sampling.samples; raise samples to 20 or drop those k.');
  });

  it('rejects two models with one label', () => {
    const model = { id: 'a', provider: 'sim', profile: 'llama-3-8b-instruct-math' };
    expect(errorOf({ ...base, models: [model, model] }).code).toBe('CONFIG_DUPLICATE_MODEL');
  });

  it('default k values are powers of two up to n, and n', () => {
    expect(defaultKValues(1)).toEqual([1]);
    expect(defaultKValues(250)).toEqual([1, 2, 4, 8, 10, 16, 32, 64, 100, 128, 250]);
    expect(defaultKValues(256)).toEqual([1, 2, 4, 8, 10, 16, 32, 64, 100, 128, 256]);
  });

  it('reads API keys from the named variables and never serialises them', () => {
    const config = resolveConfig(
      { ...base, models: [{ id: 'o', provider: 'openai', model: 'gpt', apiKeyEnv: 'MY_KEY', endpoints: ['http://127.0.0.1:1/v1'] }] },
      { source: 'c.yaml', configDir: '/tmp', cwd: '/tmp' },
    );
    const secrets = readSecrets(config, { MY_KEY: 'sk-secret-value' });
    expect(secrets.get('o')).toBe('sk-secret-value');
    expect(JSON.stringify(serialisableConfig(config))).not.toMatch(/sk-secret-value/);
  });
});

describe('loadConfig', () => {
  it('reports a YAML syntax error with the file name', () => {
    const dir = tempDir('sb-config-');
    writeFileSync(join(dir, 'bad.yaml'), 'name: x\nmodels: [\n');
    expect(() => loadConfig('bad.yaml', dir)).toThrow(`${join(dir, 'bad.yaml')}: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1`);
  });

  it('says when the file does not exist', () => {
    expect(() => loadConfig('missing.yaml', '/tmp')).toThrowError(expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }));
  });

  it('resolves user dataset paths against the config folder', () => {
    const dir = tempDir('sb-config-');
    writeFileSync(join(dir, 'c.yaml'), 'name: x\ndatasets:\n  - { id: mine, path: data/mine.jsonl, verifier: math }\nmodels:\n  - { id: a, provider: sim, profile: llama-3-8b-instruct-math }\nsampling: { samples: 2 }\n');
    expect(loadConfig('c.yaml', dir).datasets[0]?.path).toBe(join(dir, 'data/mine.jsonl'));
  });
});
