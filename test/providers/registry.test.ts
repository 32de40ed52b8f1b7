import { describe, expect, it } from 'vitest';
import { modelSchema } from '../../harness/config/model-schema.ts';
import { createProvider, modelEndpoints } from '../../harness/providers/registry.ts';

describe('createProvider', () => {
  it.each([
    [{ id: 'o', provider: 'ollama', model: 'llama3.2:1b' }, 'ollama', 1],
    [{ id: 'v', provider: 'openai', model: 'm', endpoints: ['http://127.0.0.1:8000/v1'], samplesPerRequest: 8 }, 'openai', 8],
    [{ id: 'h', provider: 'huggingface', model: 'org/model' }, 'huggingface', 1],
  ])('%j → %s provider', (entry, kind, maxSamples) => {
    const provider = createProvider(modelSchema.parse(entry), { apiKey: 'hf_x1234567' });
    expect([provider.kind, provider.maxSamplesPerRequest, provider.simulated]).toEqual([kind, maxSamples, false]);
  });

  it('builds the llama-cpp provider without loading the engine: up to `parallel` samples per request', () => {
    const provider = createProvider(modelSchema.parse({ id: 'l', provider: 'llama-cpp', modelPath: '/m.gguf', parallel: 6 }), {});
    expect([provider.kind, provider.maxSamplesPerRequest, provider.simulated]).toEqual(['llama-cpp', 6, false]);
  });
});

describe('modelEndpoints', () => {
  it.each([
    [{ id: 's', provider: 'sim', profile: 'p' }, ['sim']],
    [{ id: 'l', provider: 'llama-cpp', modelPath: 'hf:o/r/m.gguf' }, ['llama-cpp:hf:o/r/m.gguf']],
    [{ id: 'o', provider: 'ollama', model: 'x' }, ['http://127.0.0.1:11434']],
    [{ id: 'o', provider: 'ollama', model: 'x', endpoints: ['http://a:1', 'http://b:2'] }, ['http://a:1', 'http://b:2']],
    [{ id: 'v', provider: 'openai', model: 'x' }, ['https://api.openai.com/v1']],
    [{ id: 'h', provider: 'huggingface', model: 'x' }, ['https://router.huggingface.co']],
    [{ id: 'h', provider: 'huggingface', model: 'x', endpointUrl: 'https://e.endpoints.huggingface.cloud' }, ['https://e.endpoints.huggingface.cloud']],
  ])('%j → %j', (entry, endpoints) => {
    expect(modelEndpoints(modelSchema.parse(entry))).toEqual(endpoints);
  });
});
