import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, readConfigFile, resolveConfig, secretValues, serialisableConfig } from '../../harness/config/load-config.ts';
import { checkRunName, MAX_RUN_NAME_LENGTH } from '../../harness/config/run-name.ts';
import { MAX_SAMPLES_PER_PROBLEM, MAX_SEED } from '../../harness/core/limits.ts';
import { ConfigError } from '../../harness/core/errors.ts';

const base = {
  name: 'demo',
  datasets: ['quickstart-math'],
  models: [{ id: 'a', provider: 'sim', profile: 'llama-3-8b-instruct-math' }],
  sampling: { samples: 10 },
};

function errorOf(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const resolveValue = (value: unknown): unknown => resolveConfig(value, { source: 'c.yaml', configDir: '/tmp', cwd: '/work' });

const folders: string[] = [];
function tempFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
  folders.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('duplicate sweep values', () => {
  it.each([
    [{ ...base, sampling: { samples: 10, temperature: [0.6, 0.2, 0.6] } }, 'CONFIG_DUPLICATE_VALUE', 'c.yaml: sampling.temperature lists 0.6 twice'],
    [{ ...base, sampling: { samples: 10, thinkingBudgets: [0, 0] } }, 'CONFIG_DUPLICATE_VALUE', 'c.yaml: sampling.thinkingBudgets lists 0 twice'],
    [{ ...base, datasets: ['quickstart-math', { id: 'quickstart-math', limit: 3 }] }, 'CONFIG_DUPLICATE_DATASET', 'c.yaml: datasets[].id lists "quickstart-math" twice'],
    [{ ...base, models: [base.models[0], base.models[0]] }, 'CONFIG_DUPLICATE_MODEL', 'c.yaml: models[].id lists "a" twice'],
  ])('rejects a value listed twice, naming it (%#)', (value, code, message) => {
    const error = errorOf(() => resolveValue(value));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(2);
    expect(error.hint).toMatch(/once|own `id`/);
  });

  it('keeps distinct sweep values in the order given', () => {
    const config = resolveConfig({ ...base, sampling: { samples: 10, temperature: [1, 0.2, 0.6], thinkingBudgets: [0, 256] } }, { source: 'c.yaml', configDir: '/tmp', cwd: '/work' });
    expect(config.temperatures).toEqual([1, 0.2, 0.6]);
    expect(config.sampling.thinkingBudgets).toEqual([0, 256]);
  });
});

describe('bounds on seeds and sample counts', () => {
  it('states the seed bound: seed + index stays exact below 2^53', () => {
    expect(MAX_SEED).toBe(9_007_199_253_740_991);
    expect(Number.isSafeInteger(MAX_SEED + MAX_SAMPLES_PER_PROBLEM - 1)).toBe(true);
  });

  it('accepts the largest seed and refuses the next one', () => {
    expect(() => resolveValue({ ...base, seed: MAX_SEED })).not.toThrow();
    const error = errorOf(() => resolveValue({ ...base, seed: MAX_SEED + 1 }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.split('\n')[1]).toMatch(/^ {2}- seed: /);
  });

  it('refuses more samples per problem than the bound', () => {
    const error = errorOf(() => resolveValue({ ...base, sampling: { samples: MAX_SAMPLES_PER_PROBLEM + 1 } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.split('\n')[1]).toMatch(/^ {2}- sampling\.samples: /);
  });
});

describe('run names', () => {
  it.each([
    ['..', 'would resolve outside the output folder'],
    ['.', 'would resolve outside the output folder'],
    ['../escape', 'holds characters other than letters, digits and . _ - (a slash or an absolute path would leave the output folder)'],
    ['/etc', 'holds characters other than letters, digits and . _ - (a slash or an absolute path would leave the output folder)'],
    ['a/b', 'holds characters other than letters, digits and . _ - (a slash or an absolute path would leave the output folder)'],
    ['a\\b', 'holds characters other than letters, digits and . _ - (a slash or an absolute path would leave the output folder)'],
    ['x'.repeat(MAX_RUN_NAME_LENGTH + 1), `is longer than ${MAX_RUN_NAME_LENGTH} characters`],
  ])('refuses %j with RUN_NAME_UNSAFE', (name, reason) => {
    const error = errorOf(() => resolveValue({ ...base, name }));
    expect(error.code).toBe('RUN_NAME_UNSAFE');
    expect(error.message).toBe(`c.yaml: run name ${JSON.stringify(name)} ${reason}`);
    expect(error.hint).toMatch(/^A run name is one folder inside \/work\/reports/);
  });

  it('returns the run folder for a safe name', () => {
    expect(checkRunName('math500-llama.v2_a', '/work/reports', '--name')).toBe('/work/reports/math500-llama.v2_a');
  });
});

describe('secrets', () => {
  it('redacts credentials inside endpoint URLs in the stored config', () => {
    const config = resolveConfig(
      {
        ...base,
        models: [
          { id: 'o', provider: 'openai', model: 'm', endpoints: ['http://alice:s3cret-pass@127.0.0.1:8000/v1?api_key=abcdef123&x=1', 'http://127.0.0.1:8001/v1?key=k-987654&token=t-55'] },
          { id: 'h', provider: 'huggingface', model: 'org/m', endpointUrl: 'https://bob:pw-22@example.invalid/e?access_token=zz-1' },
        ],
      },
      { source: 'c.yaml', configDir: '/tmp', cwd: '/work' },
    );
    const stored = JSON.stringify(serialisableConfig(config));
    for (const secret of ['alice', 's3cret-pass', 'abcdef123', 'k-987654', 't-55', 'bob', 'pw-22', 'zz-1']) expect(stored).not.toContain(secret);
    const models = serialisableConfig(config).models as Array<{ endpoints?: string[]; endpointUrl?: string }>;
    expect(models[0]?.endpoints).toEqual(['http://[redacted]@127.0.0.1:8000/v1?api_key=[redacted]&x=1', 'http://127.0.0.1:8001/v1?key=[redacted]&token=[redacted]']);
    expect(models[1]?.endpointUrl).toBe('https://[redacted]@example.invalid/e?access_token=[redacted]');
  });

  it('lists every key the run reads from the environment', () => {
    const config = resolveConfig(
      { ...base, models: [{ id: 'o', provider: 'openai', model: 'm', apiKeyEnv: 'MY_KEY' }, { id: 'h', provider: 'huggingface', model: 'org/m' }] },
      { source: 'c.yaml', configDir: '/tmp', cwd: '/work' },
    );
    expect(secretValues(config, { MY_KEY: 'my-key-value', HF_TOKEN: 'hf_token_value', OPENAI_API_KEY: 'sk-openai', OTHER: 'x' }).sort()).toEqual(['hf_token_value', 'my-key-value', 'sk-openai']);
  });
});

describe('reading the config file', () => {
  it('refuses a folder with CONFIG_IS_DIRECTORY, naming it', () => {
    const dir = tempFolder();
    mkdirSync(join(dir, 'folder.yaml'));
    const error = errorOf(() => loadConfig('folder.yaml', dir));
    expect(error.code).toBe('CONFIG_IS_DIRECTORY');
    expect(error.message).toBe(`config file ${join(dir, 'folder.yaml')} is a folder, not a file`);
    expect(error.exitCode).toBe(2);
  });

  it('refuses a missing file and a path through a file', () => {
    const dir = tempFolder();
    writeFileSync(join(dir, 'file'), 'x');
    expect(errorOf(() => loadConfig('missing.yaml', dir)).message).toBe(`config file ${join(dir, 'missing.yaml')} does not exist`);
    expect(errorOf(() => loadConfig('file/c.yaml', dir)).code).toBe('CONFIG_NOT_FOUND');
  });

  it('refuses a name too long for the file system', () => {
    const error = errorOf(() => loadConfig(`${'n'.repeat(300)}.yaml`, tempFolder()));
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.message).toMatch(/has a name too long for the file system$/);
  });

  it('stops a YAML alias bomb with CONFIG_YAML_ALIASES', () => {
    const dir = tempFolder();
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]`);
    }
    writeFileSync(join(dir, 'bomb.yaml'), `${levels.join('\n')}\n`);
    const error = errorOf(() => readConfigFile(join(dir, 'bomb.yaml')));
    expect(error.code).toBe('CONFIG_YAML_ALIASES');
    expect(error.message).toBe(`${join(dir, 'bomb.yaml')}: the YAML expands more than 100 aliases (*name references)`);
  });

  it('still reads a config with a few aliases', () => {
    const dir = tempFolder();
    writeFileSync(join(dir, 'c.yaml'), 'name: demo\ndatasets: [quickstart-math]\nmodels:\n  - &m { id: a, provider: sim, profile: llama-3-8b-instruct-math }\nsampling: { samples: 4 }\nx: *m\n');
    expect(readConfigFile(join(dir, 'c.yaml'))).toMatchObject({ x: { id: 'a' } });
  });
});
