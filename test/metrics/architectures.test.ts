import { describe, expect, it } from 'vitest';
import { architectures, canonicalModelName, lookupArchitecture } from '../../harness/metrics/architectures.ts';

describe('lookupArchitecture', () => {
  it.each([
    ['llama3:8b-instruct-q4_K_M', 'llama-3-8b'],
    ['meta-llama/Meta-Llama-3-8B-Instruct', 'llama-3-8b'],
    ['llama-3-8b', 'llama-3-8b'],
    ['llama3', 'llama-3-8b'],
    ['llama3:70b', 'llama-3-70b'],
    ['meta-llama/Llama-3.1-8B-Instruct', 'llama-3.1-8b'],
    ['llama3.1:70b-instruct-fp16', 'llama-3.1-70b'],
    ['meta-llama/Llama-3.1-405B-Instruct-FP8', 'llama-3.1-405b'],
    ['Qwen/Qwen2.5-7B-Instruct', 'qwen2.5-7b'],
    ['qwen2.5:32b', 'qwen2.5-32b'],
    ['Qwen/Qwen2.5-72B-Instruct-AWQ', 'qwen2.5-72b'],
    ['Qwen/Qwen2.5-Math-7B-Instruct', 'qwen2.5-math-7b'],
    ['qwen3:8b', 'qwen3-8b'],
    ['Qwen/Qwen3-32B', 'qwen3-32b'],
    ['deepseek-ai/DeepSeek-R1-Distill-Qwen-7B', 'deepseek-r1-distill-qwen-7b'],
    ['deepseek-r1:32b', 'deepseek-r1-distill-qwen-32b'],
    ['mistralai/Mistral-7B-Instruct-v0.3', 'mistral-7b'],
    ['mistral:7b-instruct-v0.2-q4_0', 'mistral-7b'],
    ['google/gemma-2-9b-it', 'gemma-2-9b'],
    ['gemma2:27b', 'gemma-2-27b'],
    ['openai/gpt-oss-20b', 'gpt-oss-20b'],
    ['gpt-oss:120b', 'gpt-oss-120b'],
    ['bartowski/Meta-Llama-3.1-8B-Instruct-GGUF', 'llama-3.1-8b'],
  ])('%s is %s', (name, id) => {
    expect(lookupArchitecture(name)?.id).toBe(id);
  });

  it.each([['gpt-4o'], ['llama3:13b'], ['some-private-model'], ['']])('%j is not in the table', (name) => {
    expect(lookupArchitecture(name)).toBeUndefined();
  });

  it('has positive shapes, a source and unique canonical spellings', () => {
    const seen = new Map<string, string>();
    for (const architecture of architectures) {
      expect(architecture.params).toBeGreaterThan(1e8);
      expect(Number.isInteger(architecture.layers) && architecture.layers > 0).toBe(true);
      expect(Number.isInteger(architecture.dModel) && architecture.dModel > 0).toBe(true);
      expect(architecture.source.startsWith('https://')).toBe(true);
      for (const spelling of [architecture.id, ...architecture.aliases]) {
        const canonical = canonicalModelName(spelling);
        expect(seen.get(canonical) ?? architecture.id).toBe(architecture.id);
        seen.set(canonical, architecture.id);
      }
    }
  });

  it('uses active parameters for mixtures of experts', () => {
    const model = lookupArchitecture('gpt-oss:20b');
    expect(model?.params).toBe(3.61e9);
    expect(model?.totalParams).toBe(20.9e9);
  });
});
