import { afterEach, describe, expect, it, vi } from 'vitest';
import { Ollama } from 'ollama';
import { ProviderError } from '../../harness/core/errors.ts';
import { ollamaModelSchema } from '../../harness/config/model-schema.ts';
import { createOllamaProvider, type OllamaModelConfig } from '../../harness/providers/ollama.ts';
import { countWords, defaultGeneration, type FakeFault, type FakeServer } from '../fakes/fake-http.ts';
import { startFakeOllama, type FakeOllamaOptions } from '../fakes/fake-ollama.ts';
import { makeRequest, rejectionOf } from './request-helper.ts';

const servers: FakeServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: FakeOllamaOptions = {}): Promise<FakeServer> {
  const server = await startFakeOllama(options);
  servers.push(server);
  return server;
}

function model(url: string, settings: Partial<Record<string, unknown>> = {}): OllamaModelConfig {
  return ollamaModelSchema.parse({ id: 'local', provider: 'ollama', model: 'llama3.2:1b', endpoints: [url], ...settings });
}

const promptText = 'What is 6 times 7?';
const generation = (seed: number, think = false, prompt = promptText) => defaultGeneration({ model: 'llama3.2:1b', prompt, seed, choice: 0, think });

describe('createOllamaProvider', () => {
  it('maps /api/chat: text, exact usage, finish reason, model name and options', async () => {
    const server = await start();
    const provider = createOllamaProvider(model(server.url, { keepAlive: '10m' }));
    const result = await provider.generate(makeRequest(server.url, { seeds: [3], topP: 0.95, stop: ['</s>'] }));
    expect(result.modelName).toBe('llama3.2:1b');
    expect(result.completions).toEqual([
      { text: generation(3).text, usage: { promptTokens: countWords(promptText), completionTokens: countWords(generation(3).text), thinkingTokens: 0 }, finishReason: 'stop' },
    ]);
    expect(server.requests[0]?.path).toBe('/api/chat');
    expect(server.requests[0]?.body).toEqual({
      model: 'llama3.2:1b',
      stream: false,
      keep_alive: '10m',
      messages: [{ role: 'user', content: promptText }],
      options: { temperature: 0.7, seed: 3, num_predict: 256, top_p: 0.95, stop: ['</s>'] },
    });
    expect(provider.maxSamplesPerRequest).toBe(1);
  });

  it('sends one request per seed when asked for several samples', async () => {
    const server = await start();
    const result = await createOllamaProvider(model(server.url)).generate(makeRequest(server.url, { seeds: [1, 2, 3] }));
    expect(result.completions.map((completion) => completion.text)).toEqual([generation(1).text, generation(2).text, generation(3).text]);
    expect(server.requests.map((request) => (request.body as { options: { seed: number } }).options.seed)).toEqual([1, 2, 3]);
  });

  it('uses /api/generate with raw for a templated text prompt', async () => {
    const server = await start();
    const result = await createOllamaProvider(model(server.url, { api: 'generate' })).generate(
      makeRequest(server.url, { prompt: { kind: 'text', text: '<|user|>hi<|assistant|>' } }),
    );
    expect(result.completions[0]?.text).toBe(generation(11, false, '<|user|>hi<|assistant|>').text);
    expect(server.requests[0]?.path).toBe('/api/generate');
    expect(server.requests[0]?.body).toMatchObject({ prompt: '<|user|>hi<|assistant|>', raw: true, stream: false });
  });

  it('puts a chat system message in generate\'s system field', async () => {
    const server = await start();
    await createOllamaProvider(model(server.url, { api: 'generate' })).generate(
      makeRequest(server.url, { prompt: { kind: 'chat', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: promptText }] } }),
    );
    expect(server.requests[0]?.body).toMatchObject({ system: 'Be brief.', prompt: promptText });
  });

  it.each(['chat', 'generate'] as const)('keeps thinking text and tokens apart (%s)', async (api) => {
    const server = await start();
    const result = await createOllamaProvider(model(server.url, { api, think: 'high' })).generate(
      makeRequest(server.url, api === 'chat' ? {} : { prompt: { kind: 'text', text: promptText } }),
    );
    const expected = generation(11, true);
    const completion = result.completions[0];
    expect(completion?.text).toBe(expected.text);
    expect(completion?.thinking).toBe(expected.thinking);
    const total = countWords(expected.text) + countWords(expected.thinking ?? '');
    expect(completion?.usage.completionTokens).toBe(total);
    expect(completion?.usage.estimated).toBe(true);
    expect(completion?.usage.thinkingTokens).toBeGreaterThan(0);
    expect(completion?.usage.thinkingTokens).toBeLessThan(total);
    expect((server.requests[0]?.body as { think: unknown }).think).toBe('high');
  });

  it('switches think on for a thinking budget when the entry does not set it', async () => {
    const server = await start();
    await createOllamaProvider(model(server.url)).generate(makeRequest(server.url, { thinkingBudget: 512 }));
    expect((server.requests[0]?.body as { think: unknown }).think).toBe(true);
  });

  it('estimates the prompt when Ollama served it from cache', async () => {
    const server = await start({ promptCached: true });
    const result = await createOllamaProvider(model(server.url)).generate(makeRequest(server.url));
    expect(result.completions[0]?.usage).toEqual({ promptTokens: Math.ceil(promptText.length / 4), completionTokens: countWords(generation(11).text), thinkingTokens: 0, estimated: true });
  });

  it('marks num_predict cut-offs as length', async () => {
    const server = await start();
    const result = await createOllamaProvider(model(server.url)).generate(makeRequest(server.url, { maxTokens: 4 }));
    expect(result.completions[0]).toMatchObject({ finishReason: 'length', usage: { completionTokens: 4 } });
  });

  it('says to pull a missing model (404, non-retryable)', async () => {
    const server = await start({ models: ['qwen3:8b'] });
    const error = (await rejectionOf(createOllamaProvider(model(server.url)).generate(makeRequest(server.url)))) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND', retryable: false, status: 404 });
    expect(error.message).toBe(`model llama3.2:1b was not found on ${server.url} (HTTP 404): model "llama3.2:1b" not found, try pulling it first`);
    expect(error.hint).toBe(`Run \`ollama pull llama3.2:1b\` on ${server.url}, or fix the model tag in the config.`);
  });

  it.each<[string, FakeFault, { code: string; retryable: boolean; status?: number; retryAfterMs?: number }]>([
    ['429 with Retry-After', { kind: 'status', status: 429, retryAfter: '2' }, { code: 'RATE_LIMITED', retryable: true, status: 429, retryAfterMs: 2000 }],
    ['500', { kind: 'status', status: 500, message: 'llama runner process has terminated' }, { code: 'SERVER_ERROR', retryable: true, status: 500 }],
    ['503 plain text', { kind: 'status', status: 503, plainText: true }, { code: 'SERVER_ERROR', retryable: true, status: 503 }],
    ['400', { kind: 'status', status: 400, message: 'invalid options' }, { code: 'BAD_REQUEST', retryable: false, status: 400 }],
    ['connection reset', { kind: 'reset' }, { code: 'CONNECTION_RESET', retryable: true }],
    ['malformed JSON', { kind: 'malformed' }, { code: 'MALFORMED_RESPONSE', retryable: true }],
    ['truncated body', { kind: 'truncated' }, { code: 'CONNECTION_RESET', retryable: true }],
  ])('maps %s to a ProviderError', async (_name, fault, expected) => {
    const server = await start({ faults: [fault] });
    const error = await rejectionOf(createOllamaProvider(model(server.url)).generate(makeRequest(server.url)));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ ...expected, endpoint: server.url });
  });

  it('prints nothing when an error body is plain text (ollama-js would log it)', async () => {
    const log = vi.spyOn(console, 'log');
    const server = await start({ faults: [{ kind: 'status', status: 502, plainText: true, message: 'Bad Gateway' }] });
    const error = (await rejectionOf(createOllamaProvider(model(server.url)).generate(makeRequest(server.url)))) as ProviderError;
    expect(error.message).toBe(`ollama ${server.url} failed (HTTP 502): Bad Gateway`);
    expect(log).not.toHaveBeenCalled();
  });

  it('aborts a hung request with the signal\'s reason', async () => {
    const server = await start({ faults: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const pending = createOllamaProvider(model(server.url)).generate(makeRequest(server.url, { signal: controller.signal }));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const reason = new Error('cancelled');
    controller.abort(reason);
    expect(await rejectionOf(pending)).toBe(reason);
  });

  it('checks the model with /api/show', async () => {
    const server = await start({ models: ['llama3.2:1b'] });
    await expect(createOllamaProvider(model(server.url)).check?.(server.url, new AbortController().signal)).resolves.toBeUndefined();
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/api/show', body: { model: 'llama3.2:1b' } });
    const missing = (await rejectionOf(
      createOllamaProvider(model(server.url, { model: 'qwen3:8b' })).check?.(server.url, new AbortController().signal) ?? Promise.resolve(),
    )) as ProviderError;
    expect(missing).toMatchObject({ code: 'MODEL_NOT_FOUND', retryable: false, hint: `Run \`ollama pull qwen3:8b\` on ${server.url}, or fix the model tag in the config.` });
  });

  it('fails the check without retry when nothing listens', async () => {
    const server = await start();
    const url = server.url;
    await server.close();
    servers.splice(0);
    const error = (await rejectionOf(createOllamaProvider(model(url)).check?.(url, new AbortController().signal) ?? Promise.resolve())) as ProviderError;
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', retryable: false, hint: `Check that the server at ${url} is running and reachable.` });
  });
});

describe('fake Ollama wire protocol', () => {
  it('streams NDJSON by default and the official client reads it', async () => {
    const server = await start({ models: ['llama3.2:1b'] });
    const client = new Ollama({ host: server.url });
    const parts: string[] = [];
    let last: { done: boolean; eval_count?: number; done_reason?: string } | undefined;
    for await (const part of await client.chat({ model: 'llama3.2:1b', messages: [{ role: 'user', content: promptText }], stream: true, options: { seed: 3 } })) {
      parts.push(part.message.content);
      last = part;
    }
    expect(parts.join('')).toBe(generation(3).text);
    expect(last).toMatchObject({ done: true, done_reason: 'stop', eval_count: countWords(generation(3).text) });
    const tags = await client.list();
    expect(tags.models.map((entry) => entry.name)).toEqual(['llama3.2:1b']);
  });

  it('cuts a stream short on the truncated fault', async () => {
    const server = await start({ faults: [{ kind: 'truncated' }] });
    const client = new Ollama({ host: server.url });
    const error = await rejectionOf(
      (async () => {
        for await (const part of await client.generate({ model: 'llama3.2:1b', prompt: 'x', stream: true })) void part;
      })(),
    );
    expect((error as Error).message).toBe('Did not receive done or success response in stream.');
  });
});
