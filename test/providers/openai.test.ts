import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../harness/core/errors.ts';
import { openaiModelSchema } from '../../harness/config/model-schema.ts';
import { createOpenAIProvider, type OpenAIModelConfig } from '../../harness/providers/openai.ts';
import { countWords, defaultGeneration, type FakeFault, type FakeServer } from '../fakes/fake-http.ts';
import { startFakeOpenAI, type FakeOpenAIOptions } from '../fakes/fake-openai.ts';
import { chatPrompt, makeRequest, rejectionOf } from './request-helper.ts';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: FakeOpenAIOptions = {}): Promise<FakeServer> {
  const server = await startFakeOpenAI(options);
  servers.push(server);
  return server;
}

function model(url: string, settings: Partial<Record<string, unknown>> = {}): OpenAIModelConfig {
  const parsed = openaiModelSchema.parse({ id: 'fake', provider: 'openai', model: 'fake-model', endpoints: [url], ...settings });
  return parsed;
}

const promptText = 'What is 6 times 7?';
const expectedText = (seed: number, choice = 0): string => defaultGeneration({ model: 'fake-model', prompt: promptText, seed, choice, think: false }).text;

describe('createOpenAIProvider', () => {
  it('maps a chat completion: text, usage, finish reason, model name, request fields', async () => {
    const server = await start();
    const provider = createOpenAIProvider(model(server.url), { apiKey: 'sk-test-key-123456' });
    const result = await provider.generate(makeRequest(server.url, { seeds: [11], topP: 0.9, stop: ['###'] }));
    expect(result.modelName).toBe('fake-model');
    expect(result.completions).toEqual([
      {
        text: expectedText(11),
        usage: { promptTokens: countWords(promptText), completionTokens: countWords(expectedText(11)), thinkingTokens: 0 },
        finishReason: 'stop',
      },
    ]);
    const sent = server.requests[0];
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer sk-test-key-123456');
    expect(sent?.body).toEqual({
      model: 'fake-model',
      messages: [{ role: 'user', content: promptText }],
      temperature: 0.7,
      max_tokens: 256,
      seed: 11,
      top_p: 0.9,
      stop: ['###'],
    });
    expect(provider.maxSamplesPerRequest).toBe(1);
    expect(provider.simulated).toBe(false);
  });

  it('uses /completions with a text prompt, extraBody and max_completion_tokens', async () => {
    const server = await start();
    const provider = createOpenAIProvider(
      model(server.url, { api: 'completions', extraBody: { repetition_penalty: 1.1 }, maxTokensField: 'max_completion_tokens' }),
    );
    const result = await provider.generate(makeRequest(server.url, { prompt: { kind: 'text', text: promptText } }));
    expect(result.completions.map((completion) => completion.text)).toEqual([expectedText(11)]);
    expect(server.requests[0]?.path).toBe('/v1/completions');
    expect(server.requests[0]?.body).toEqual({
      repetition_penalty: 1.1,
      model: 'fake-model',
      prompt: promptText,
      temperature: 0.7,
      max_completion_tokens: 256,
      seed: 11,
    });
  });

  it('lets the server cut at a stop sequence', async () => {
    const server = await start();
    const result = await createOpenAIProvider(model(server.url)).generate(makeRequest(server.url, { stop: [' the final answer'] }));
    expect(result.completions[0]?.text).toBe(expectedText(11).slice(0, expectedText(11).indexOf(' the final answer')));
    expect(result.completions[0]?.finishReason).toBe('stop');
  });

  it('marks a sample cut by the token limit as length', async () => {
    const server = await start();
    const provider = createOpenAIProvider(model(server.url));
    const result = await provider.generate(makeRequest(server.url, { maxTokens: 5 }));
    expect(result.completions[0]?.finishReason).toBe('length');
    expect(result.completions[0]?.usage.completionTokens).toBe(5);
  });

  it('batches samples with n: one request, the first seed, completion tokens split to the server total', async () => {
    const server = await start();
    const provider = createOpenAIProvider(model(server.url, { samplesPerRequest: 4 }));
    expect(provider.maxSamplesPerRequest).toBe(4);
    const result = await provider.generate(makeRequest(server.url, { seeds: [21, 22, 23, 24] }));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toMatchObject({ n: 4, seed: 21 });
    expect(result.completions.map((completion) => completion.text)).toEqual([0, 1, 2, 3].map((choice) => expectedText(21, choice)));
    const total = [0, 1, 2, 3].reduce((sum, choice) => sum + countWords(expectedText(21, choice)), 0);
    expect(result.completions.reduce((sum, completion) => sum + completion.usage.completionTokens, 0)).toBe(total);
    expect(result.completions.map((completion) => completion.usage.estimated)).toEqual([true, true, true, true]);
    expect(result.completions.map((completion) => completion.usage.promptTokens)).toEqual([5, 5, 5, 5]);
  });

  it('takes exact per-choice counts from vLLM token_ids', async () => {
    const server = await start({ tokenIds: true });
    const provider = createOpenAIProvider(model(server.url, { samplesPerRequest: 3 }));
    const result = await provider.generate(makeRequest(server.url, { seeds: [1, 2, 3] }));
    expect(result.completions.map((completion) => completion.usage)).toEqual(
      [0, 1, 2].map((choice) => ({ promptTokens: 5, completionTokens: countWords(expectedText(1, choice)), thinkingTokens: 0 })),
    );
  });

  it('falls back to single requests when the server ignores n, and remembers it per endpoint', async () => {
    const server = await start({ ignoreN: true });
    const provider = createOpenAIProvider(model(server.url, { samplesPerRequest: 3 }));
    const first = await provider.generate(makeRequest(server.url, { seeds: [5, 6, 7] }));
    expect(first.completions.map((completion) => completion.text)).toEqual([expectedText(5), expectedText(6), expectedText(7)]);
    expect(server.requests.map((request) => [(request.body as { n?: number }).n, (request.body as { seed: number }).seed])).toEqual([
      [3, 5],
      [undefined, 6],
      [undefined, 7],
    ]);
    await provider.generate(makeRequest(server.url, { seeds: [8, 9, 10] }));
    expect(server.requests.slice(3).map((request) => [(request.body as { n?: number }).n, (request.body as { seed: number }).seed])).toEqual([
      [undefined, 8],
      [undefined, 9],
      [undefined, 10],
    ]);
  });

  it('falls back to single requests when the server refuses n with a 400 (llama.cpp server)', async () => {
    const server = await start({ rejectN: true });
    const provider = createOpenAIProvider(model(server.url, { samplesPerRequest: 2 }));
    const result = await provider.generate(makeRequest(server.url, { seeds: [5, 6] }));
    expect(result.completions.map((completion) => completion.text)).toEqual([expectedText(5), expectedText(6)]);
    expect(server.requests.map((request) => (request.body as { n?: number }).n)).toEqual([2, undefined, undefined]);
  });

  it('keeps a 400 unrelated to n as an error', async () => {
    const server = await start({ faults: [{ kind: 'status', status: 400, message: 'temperature must be at most 2' }] });
    const provider = createOpenAIProvider(model(server.url, { samplesPerRequest: 2 }));
    expect(await rejectionOf(provider.generate(makeRequest(server.url, { seeds: [5, 6] })))).toMatchObject({ code: 'BAD_REQUEST', retryable: false });
  });

  it('passes the check when the server has no /models route', async () => {
    const server = await start();
    const provider = createOpenAIProvider(model(`${server.url}/no-such-prefix`));
    await expect(provider.check?.(`${server.url}/no-such-prefix`, new AbortController().signal)).resolves.toBeUndefined();
  });

  it('fills up when the server caps n', async () => {
    const server = await start({ maxN: 2 });
    const provider = createOpenAIProvider(model(server.url, { samplesPerRequest: 3 }));
    const result = await provider.generate(makeRequest(server.url, { seeds: [5, 6, 7] }));
    expect(result.completions.map((completion) => completion.text)).toEqual([expectedText(5, 0), expectedText(5, 1), expectedText(7)]);
  });

  it.each([
    ['reasoning_content', false],
    ['reasoning', false],
    ['reasoning_content', true],
  ] as const)('keeps thinking from the %s field apart (reasoning_tokens reported: %s)', async (field, reasoningTokens) => {
    const server = await start({ think: true, reasoningField: field, reasoningTokens });
    const provider = createOpenAIProvider(model(server.url));
    const result = await provider.generate(makeRequest(server.url));
    const generation = defaultGeneration({ model: 'fake-model', prompt: promptText, seed: 11, choice: 0, think: true });
    const thinkingWords = countWords(generation.thinking ?? '');
    const completion = result.completions[0];
    expect(completion?.text).toBe(generation.text);
    expect(completion?.thinking).toBe(generation.thinking);
    expect(completion?.usage.completionTokens).toBe(thinkingWords + countWords(generation.text));
    if (reasoningTokens) {
      expect(completion?.usage).toEqual({ promptTokens: 5, completionTokens: thinkingWords + countWords(generation.text), thinkingTokens: thinkingWords });
    } else {
      expect(completion?.usage.estimated).toBe(true);
      expect(completion?.usage.thinkingTokens).toBeGreaterThan(0);
    }
  });

  it.each([1, 3])('streams SSE with usage and gives the same samples (n = %i)', async (n) => {
    const plain = await start();
    const streaming = await start();
    const seeds = [31, 32, 33].slice(0, n);
    const expected = await createOpenAIProvider(model(plain.url, { samplesPerRequest: n })).generate(makeRequest(plain.url, { seeds }));
    const result = await createOpenAIProvider(model(streaming.url, { samplesPerRequest: n, stream: true })).generate(makeRequest(streaming.url, { seeds }));
    expect(result.completions).toEqual(expected.completions);
    expect(streaming.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('estimates usage when the server sends none', async () => {
    const server = await start({ usage: false });
    const result = await createOpenAIProvider(model(server.url)).generate(makeRequest(server.url));
    expect(result.completions[0]?.usage).toEqual({ promptTokens: 5, completionTokens: Math.ceil(expectedText(11).length / 4), thinkingTokens: 0, estimated: true });
  });

  it.each<[string, FakeFault, { code: string; retryable: boolean; status?: number; retryAfterMs?: number }, boolean]>([
    ['429 with Retry-After seconds', { kind: 'status', status: 429, retryAfter: '3' }, { code: 'RATE_LIMITED', retryable: true, status: 429, retryAfterMs: 3000 }, false],
    ['500', { kind: 'status', status: 500 }, { code: 'SERVER_ERROR', retryable: true, status: 500 }, false],
    ['502 as plain text from a proxy', { kind: 'status', status: 502, plainText: true }, { code: 'SERVER_ERROR', retryable: true, status: 502 }, false],
    ['408', { kind: 'status', status: 408 }, { code: 'REQUEST_TIMEOUT', retryable: true, status: 408 }, false],
    ['409', { kind: 'status', status: 409 }, { code: 'CONFLICT', retryable: true, status: 409 }, false],
    ['400', { kind: 'status', status: 400, message: 'max_tokens is too large' }, { code: 'BAD_REQUEST', retryable: false, status: 400 }, false],
    ['connection reset', { kind: 'reset' }, { code: 'CONNECTION_RESET', retryable: true }, false],
    ['malformed JSON', { kind: 'malformed' }, { code: 'MALFORMED_RESPONSE', retryable: true }, false],
    ['truncated body', { kind: 'truncated' }, { code: 'CONNECTION_RESET', retryable: true }, false],
    ['truncated stream', { kind: 'truncated' }, { code: 'TRUNCATED_RESPONSE', retryable: true }, true],
    ['429 while streaming', { kind: 'status', status: 429, retryAfter: '1' }, { code: 'RATE_LIMITED', retryable: true, status: 429, retryAfterMs: 1000 }, true],
  ])('maps %s to a ProviderError', async (_name, fault, expected, stream) => {
    const server = await start({ faults: [fault] });
    const error = await rejectionOf(createOpenAIProvider(model(server.url, { stream })).generate(makeRequest(server.url)));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject(expected);
    expect((error as ProviderError).endpoint).toBe(server.url);
  });

  it('quotes the server message of a 400', async () => {
    const server = await start({ faults: [{ kind: 'status', status: 400, message: 'max_tokens is too large: 99999' }] });
    const error = (await rejectionOf(createOpenAIProvider(model(server.url)).generate(makeRequest(server.url)))) as ProviderError;
    expect(error.message).toBe(`openai ${server.url} rejected the request for model fake-model (HTTP 400): max_tokens is too large: 99999`);
  });

  it('reads an HTTP-date Retry-After', async () => {
    const date = new Date(Date.now() + 60_000).toUTCString();
    const server = await start({ faults: [{ kind: 'status', status: 503, retryAfter: date }] });
    const error = (await rejectionOf(createOpenAIProvider(model(server.url)).generate(makeRequest(server.url)))) as ProviderError;
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('says model not found on a 404 (non-retryable)', async () => {
    const server = await start({ models: ['other-model'] });
    const error = (await rejectionOf(createOpenAIProvider(model(server.url)).generate(makeRequest(server.url)))) as ProviderError;
    expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND', retryable: false, status: 404 });
    expect(error.hint).toBe(`Check the model name in the config against the models ${server.url} serves.`);
  });

  it('names the key variable on a 401 and never repeats the key', async () => {
    const server = await start({ apiKey: 'sk-right-key-000000' });
    const provider = createOpenAIProvider(model(server.url, { apiKeyEnv: 'VLLM_KEY' }), { apiKey: 'sk-wrong-key-999999' });
    const error = (await rejectionOf(provider.generate(makeRequest(server.url)))) as ProviderError;
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', retryable: false, status: 401 });
    expect(error.hint).toBe('Set the environment variable VLLM_KEY to a valid key (or name another variable with `apiKeyEnv:`).');
    expect(JSON.stringify({ message: error.message, hint: error.hint })).not.toContain('sk-wrong-key-999999');
  });

  it('rethrows the abort reason when the signal aborts a hung request', async () => {
    const server = await start({ faults: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const pending = createOpenAIProvider(model(server.url)).generate(makeRequest(server.url, { signal: controller.signal }));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const reason = new Error('stop now');
    controller.abort(reason);
    expect(await rejectionOf(pending)).toBe(reason);
  });

  it('checks that the server serves the model', async () => {
    const server = await start({ models: ['fake-model'] });
    await expect(createOpenAIProvider(model(server.url)).check?.(server.url, new AbortController().signal)).resolves.toBeUndefined();
    const error = (await rejectionOf(createOpenAIProvider(model(server.url, { model: 'missing' })).check?.(server.url, new AbortController().signal) ?? Promise.resolve())) as ProviderError;
    expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND', retryable: false });
    expect(error.message).toBe(`model missing is not served by ${server.url} (it serves: fake-model)`);
  });

  it('keeps the chat prompt of text inputs as one user message', async () => {
    const server = await start();
    await createOpenAIProvider(model(server.url)).generate(makeRequest(server.url, { prompt: { kind: 'text', text: 'plain prompt' } }));
    expect((server.requests[0]?.body as { messages: unknown }).messages).toEqual([{ role: 'user', content: 'plain prompt' }]);
    expect(chatPrompt.kind).toBe('chat');
  });
});
