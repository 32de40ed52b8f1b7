import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load-config.ts';
import { defaultCodeTimeLimits } from '../../harness/config/schema.ts';
import { ConfigError } from '../../harness/core/errors.ts';

const base = {
  name: 'demo',
  datasets: ['humaneval'],
  models: [{ id: 'a', provider: 'sim', profile: 'llama-3-8b-instruct-math' }],
  sampling: { samples: 10 },
};

function resolve(value: unknown): ReturnType<typeof resolveConfig> {
  return resolveConfig(value, { source: 'c.yaml', configDir: '/tmp', cwd: '/tmp' });
}

function errorOf(value: unknown): ConfigError {
  try {
    resolve(value);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config codeTimeLimits', () => {
  it('defaults to the fixed 3 s limit, with the reference settings filled', () => {
    expect(resolve(base).codeTimeLimits).toEqual({ mode: 'fixed', timeLimitMs: 3000, factor: 4, floorMs: 1000, fallbackMs: 3000 });
    expect(defaultCodeTimeLimits).toEqual({ mode: 'fixed', timeLimitMs: 3000, factor: 4, floorMs: 1000, fallbackMs: 3000 });
  });

  it('fills what a partial entry leaves out', () => {
    expect(resolve({ ...base, codeTimeLimits: { mode: 'reference' } }).codeTimeLimits).toEqual({ mode: 'reference', timeLimitMs: 3000, factor: 4, floorMs: 1000, fallbackMs: 3000 });
    expect(resolve({ ...base, codeTimeLimits: { mode: 'reference', factor: 2.5, floorMs: 500, fallbackMs: 6000 } }).codeTimeLimits).toEqual({
      mode: 'reference',
      timeLimitMs: 3000,
      factor: 2.5,
      floorMs: 500,
      fallbackMs: 6000,
    });
    expect(resolve({ ...base, codeTimeLimits: { timeLimitMs: 10_000 } }).codeTimeLimits).toEqual({ mode: 'fixed', timeLimitMs: 10_000, factor: 4, floorMs: 1000, fallbackMs: 3000 });
  });

  it.each<[string, unknown, string]>([
    ['unknown mode', { mode: 'measured' }, 'codeTimeLimits.mode: '],
    ['zero factor', { factor: 0 }, 'codeTimeLimits.factor: '],
    ['negative floor', { floorMs: -1 }, 'codeTimeLimits.floorMs: '],
    ['fractional fallback', { fallbackMs: 2.5 }, 'codeTimeLimits.fallbackMs: '],
    ['zero fixed limit', { timeLimitMs: 0 }, 'codeTimeLimits.timeLimitMs: '],
    ['a string limit', { timeLimitMs: '3s' }, 'codeTimeLimits.timeLimitMs: '],
  ])('rejects a bad value: %s', (_name, codeTimeLimits, start) => {
    const error = errorOf({ ...base, codeTimeLimits });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message.split('\n')[1]?.startsWith(`  - ${start}`)).toBe(true);
  });

  it.each<[unknown, string, string]>([
    [{ ...base, codeTimeLimits: { mode: 'reference', factr: 4 } }, "unknown key 'factr' (did you mean 'factor'?) in codeTimeLimits", 'Valid keys there: mode, timeLimitMs, factor, floorMs, fallbackMs.'],
    [{ ...base, codeTimeLimits: { floorMS: 500 } }, "unknown key 'floorMS' (did you mean 'floorMs'?) in codeTimeLimits", 'Valid keys there: mode, timeLimitMs, factor, floorMs, fallbackMs.'],
    [{ ...base, codeTimeLimit: { mode: 'reference' } }, "unknown key 'codeTimeLimit' (did you mean 'codeTimeLimits'?) in (top level)", ''],
  ])('names a misspelt key and suggests the right one (%#)', (value, expected, hint) => {
    const error = errorOf(value);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.split('\n')[1]).toBe(`  - ${expected}`);
    if (hint !== '') expect(error.hint).toBe(hint);
  });
});
