import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../harness/core/errors.ts';
import { huggingfaceModelSchema } from '../../harness/config/model-schema.ts';
import { createHuggingFaceProvider, type HuggingFaceModelConfig } from '../../harness/providers/huggingface.ts';
import { countWords, defaultGeneration, type FakeFault } from '../fakes/fake-http.ts';
import { startFakeHuggingFace, type FakeHuggingFace, type FakeHuggingFaceOptions } from '../fakes/fake-huggingface.ts';
import { makeRequest, rejectionOf } from './request-helper.ts';

const servers: FakeHuggingFace[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: FakeHuggingFaceOptions = {}): Promise<FakeHuggingFace> {
  const server = await startFakeHuggingFace(options);
  servers.push(server);
  return server;
}

function model(server: FakeHuggingFace, settings: Partial<Record<string, unknown>> = {}): HuggingFaceModelConfig {
  return huggingfaceModelSchema.parse({
    id: 'hf',
    provider: 'huggingface',
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    routerUrl: server.routerUrl,
    hubUrl: server.hubUrl,
    ...settings,
  });
}

const token = 'hf_testtoken123456';
const promptText = 'What is 6 times 7?';
const expected = (seed: number) => defaultGeneration({ model: 'meta-llama/Llama-3.1-8B-Instruct', prompt: promptText, seed, choice: 0, think: false }).text;

describe('createHuggingFaceProvider', () => {
  it('calls the router with the auto policy: route, token, body, usage', async () => {
    const server = await start();
    const provider = createHuggingFaceProvider(model(server), { apiKey: token });
    const result = await provider.generate(makeRequest(server.routerUrl, { seeds: [4] }));
    expect(result).toMatchObject({ modelName: 'meta-llama/Llama-3.1-8B-Instruct' });
    expect(result.completions).toEqual([
      { text: expected(4), usage: { promptTokens: countWords(promptText), completionTokens: countWords(expected(4)), thinkingTokens: 0 }, finishReason: 'stop' },
    ]);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /v1/chat/completions']);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(server.requests[0]?.body).toEqual({
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      messages: [{ role: 'user', content: promptText }],
      temperature: 0.7,
      max_tokens: 256,
      seed: 4,
    });
    expect(provider.maxSamplesPerRequest).toBe(1);
  });

  it('looks the provider up on the Hub, then calls its router route', async () => {
    const server = await start({ inferenceProviders: ['together'] });
    const provider = createHuggingFaceProvider(model(server, { model: 'Qwen/Qwen2.5-7B-Instruct', inferenceProvider: 'together' }), { apiKey: token });
    await provider.generate(makeRequest(server.routerUrl));
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /api/models/Qwen/Qwen2.5-7B-Instruct?expand[]=inferenceProviderMapping',
      'POST /together/v1/chat/completions',
    ]);
  });

  it('calls an Inference Endpoint URL directly', async () => {
    const server = await start();
    const provider = createHuggingFaceProvider(model(server, { endpointUrl: server.endpointUrl }), { apiKey: token });
    const result = await provider.generate(makeRequest(server.endpointUrl, { seeds: [1, 2] }));
    expect(result.completions.map((completion) => completion.text)).toEqual([expected(1), expected(2)]);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /endpoint/v1/chat/completions', 'POST /endpoint/v1/chat/completions']);
  });

  it('keeps reasoning_content as thinking', async () => {
    const server = await start({ think: true });
    const result = await createHuggingFaceProvider(model(server), { apiKey: token }).generate(makeRequest(server.routerUrl));
    expect(result.completions[0]?.thinking).toBe(
      defaultGeneration({ model: 'meta-llama/Llama-3.1-8B-Instruct', prompt: promptText, seed: 11, choice: 0, think: true }).thinking,
    );
    expect(result.completions[0]?.usage.estimated).toBe(true);
  });

  it.each<[string, FakeFault, { code: string; retryable: boolean; status?: number; retryAfterMs?: number }]>([
    ['503 with Retry-After (not retried by the client)', { kind: 'status', status: 503, retryAfter: '7' }, { code: 'SERVER_ERROR', retryable: true, status: 503, retryAfterMs: 7000 }],
    ['429', { kind: 'status', status: 429, retryAfter: '1' }, { code: 'RATE_LIMITED', retryable: true, status: 429, retryAfterMs: 1000 }],
    ['400', { kind: 'status', status: 400, message: 'Input validation error: max_tokens' }, { code: 'BAD_REQUEST', retryable: false, status: 400 }],
    ['connection reset', { kind: 'reset' }, { code: 'CONNECTION_RESET', retryable: true }],
    ['malformed JSON', { kind: 'malformed' }, { code: 'MALFORMED_RESPONSE', retryable: true }],
    ['truncated body', { kind: 'truncated' }, { code: 'CONNECTION_RESET', retryable: true }],
  ])('maps %s to a ProviderError', async (_name, fault, expectedError) => {
    const server = await start({ faults: [fault] });
    const error = await rejectionOf(createHuggingFaceProvider(model(server), { apiKey: token }).generate(makeRequest(server.routerUrl)));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject(expectedError);
    expect(server.generationRequests()).toHaveLength(1);
  });

  it('names HF_TOKEN on a 401 without repeating the token', async () => {
    const server = await start({ apiKey: 'hf_rightrightright' });
    const error = (await rejectionOf(createHuggingFaceProvider(model(server), { apiKey: token }).generate(makeRequest(server.routerUrl)))) as ProviderError;
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', retryable: false, status: 401 });
    expect(error.hint).toBe('Set the environment variable HF_TOKEN to a valid key (or name another variable with `apiKeyEnv:`).');
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain(token);
  });

  it('refuses the auto router without a Hugging Face token (non-retryable)', async () => {
    const server = await start();
    const error = (await rejectionOf(createHuggingFaceProvider(model(server)).generate(makeRequest(server.routerUrl)))) as ProviderError;
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
    expect(server.requests).toHaveLength(0);
  });

  it('aborts a hung request with the signal\'s reason', async () => {
    const server = await start({ faults: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const pending = createHuggingFaceProvider(model(server), { apiKey: token }).generate(makeRequest(server.routerUrl, { signal: controller.signal }));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const reason = new Error('cancelled');
    controller.abort(reason);
    expect(await rejectionOf(pending)).toBe(reason);
  });
});
