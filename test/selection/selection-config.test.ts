import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError } from '../../harness/core/errors.ts';
import { createScorerFromConfig, selectionConfigSchema, selectionEntrySchema } from '../../harness/selection/selection-config.ts';

describe('selection config', () => {
  it('the example config selection block parses and builds the simulated verifier of the profile', async () => {
    const config = parse(readFileSync(join(import.meta.dirname, '../../configs/selection-example.yaml'), 'utf8')) as { selection: unknown };
    const parsed = selectionConfigSchema.parse(config.selection);
    expect(parsed).toEqual([{ method: 'simulated' }]);
    const entry = Array.isArray(parsed) ? parsed[0] : parsed;
    if (entry === undefined) throw new Error('no entry');
    const scorer = await createScorerFromConfig(entry, { simProfile: 'llama-3-8b-instruct-math', seed: 1 });
    expect({ id: scorer.id, kind: scorer.kind, simulated: scorer.simulated }).toEqual({ id: 'simulated', kind: 'simulated', simulated: true });
  });

  it.each([
    [{ method: 'reward-model', endpoint: 'http://127.0.0.1:8001', model: 'rm' }, { method: 'reward-model', backend: 'vllm', api: 'pooling', endpoint: 'http://127.0.0.1:8001', model: 'rm' }],
    [{ method: 'judge' }, { method: 'judge', samplesPerCandidate: 1, maxTokens: 512 }],
    [{ method: 'recorded', path: 'scores.jsonl' }, { method: 'recorded', path: 'scores.jsonl', format: 'qwen-math', scale: 'logit' }],
  ])('fills defaults: %j', (input, expected) => {
    expect(selectionEntrySchema.parse(input)).toEqual(expected);
  });

  it.each([
    [{ method: 'judge', samplesPerCandiate: 3 }, 'unrecognized'],
    [{ method: 'oracle' }, 'method'],
    [{ method: 'simulated', accuracy: 0.5 }, 'accuracy'],
  ])('rejects %j', (input, fragment) => {
    const result = selectionEntrySchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues).toLowerCase()).toContain(fragment);
  });

  it.each([
    [{ method: 'judge' as const, samplesPerCandidate: 1, maxTokens: 512 }, {}],
    [{ method: 'simulated' as const }, {}],
  ])('missing context is a ConfigError: %j', async (entry, context) => {
    await expect(createScorerFromConfig(entry, context)).rejects.toBeInstanceOf(ConfigError);
  });
});
