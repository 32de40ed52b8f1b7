import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { countFakeTokens, fakeAccuracy, startFakeReasoner, type FakeReasoner, type FakeReasonerOptions } from '../../fakes/fake-reasoner.ts';

const servers: FakeReasoner[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(options: FakeReasonerOptions = {}): Promise<FakeReasoner> {
  const server = await startFakeReasoner(options);
  servers.push(server);
  return server;
}
const openai = (server: FakeReasoner): OpenAI => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 });
const prompt = 'Q: what is 3 + 4? [gold:7]\nA: <think>\n';

describe('fake reasoner wire protocols', () => {
  it.each([1, 7, 40])('OpenAI /v1/completions honours max_tokens %i exactly', async (maxTokens) => {
    const server = await start();
    const response = await openai(server).completions.create({ model: 'r', prompt, max_tokens: maxTokens, seed: 1 });
    expect(response.choices[0]?.finish_reason).toBe('length');
    expect(response.usage?.completion_tokens).toBe(maxTokens);
    expect(countFakeTokens(response.choices[0]?.text ?? '')).toBe(maxTokens);
    expect(response.usage?.prompt_tokens).toBe(countFakeTokens(prompt));
  });

  it('stops at a stop string, leaves it out, and counts the word that completed it', async () => {
    const server = await start();
    const response = await openai(server).completions.create({ model: 'r', prompt, max_tokens: 100_000, stop: ['</think>'], seed: 1 });
    const text = response.choices[0]?.text ?? '';
    expect(response.choices[0]?.finish_reason).toBe('stop');
    expect(text.includes('</think>')).toBe(false);
    expect(response.usage?.completion_tokens).toBe(countFakeTokens(text) + 1);
  });

  it('stops at a stop string inside a word', async () => {
    const server = await start();
    const response = await openai(server).completions.create({ model: 'r', prompt: `${prompt} a b </think>`, max_tokens: 50, stop: ['swer'], seed: 1 });
    expect(response.choices[0]).toMatchObject({ text: ' The an', finish_reason: 'stop' });
    expect(response.usage?.completion_tokens).toBe(2);
  });

  it('continues a thought, closes it and answers with the gold tag', async () => {
    const server = await start();
    const response = await openai(server).completions.create({ model: 'r', prompt, max_tokens: 100_000, seed: 2 });
    const text = response.choices[0]?.text ?? '';
    expect(text).toMatch(/^(\S+ )+<\/think>\n\nThe answer is \\boxed\{(7|8)\}\.$/);
    expect(response.choices[0]?.finish_reason).toBe('stop');
  });

  it('opens its own thinking when the prompt has none', async () => {
    const server = await start();
    const response = await openai(server).completions.create({ model: 'r', prompt: 'Q: 1+1? [gold:2]', max_tokens: 3, seed: 2 });
    expect(response.choices[0]?.text.startsWith(' <think> ')).toBe(true);
  });

  it('is seeded: same seed, same text; other seeds, other lengths', async () => {
    const server = await start();
    const client = openai(server);
    const text = async (seed: number): Promise<string> => (await client.completions.create({ model: 'r', prompt, max_tokens: 100_000, seed })).choices[0]?.text ?? '';
    expect(await text(5)).toBe(await text(5));
    const lengths = new Set<number>();
    for (let seed = 1; seed <= 5; seed += 1) lengths.add(countFakeTokens(await text(seed)));
    expect(lengths.size).toBe(5);
  });

  it('takes the gold from a lookup when the prompt has no tag', async () => {
    const server = await start({ gold: () => '17' });
    const response = await openai(server).completions.create({ model: 'r', prompt: 'Q </think>', max_tokens: 10, seed: 1 });
    expect(response.choices[0]?.text).toMatch(/^ The answer is \\boxed\{1[78]\}\.$/);
  });

  it('can ignore max_tokens (a broken server)', async () => {
    const server = await start({ ignoreMaxTokens: true });
    const response = await openai(server).completions.create({ model: 'r', prompt, max_tokens: 5, seed: 1 });
    expect(response.usage?.completion_tokens).toBeGreaterThan(5);
  });

  it('Ollama /api/generate raw: the same text streamed (NDJSON) and in one JSON, num_predict exact', async () => {
    const server = await start();
    const client = new Ollama({ host: server.url });
    const single = await client.generate({ model: 'r', prompt, raw: true, stream: false, options: { num_predict: 12, seed: 3 } });
    let streamed = '';
    let last: { done_reason?: string; eval_count?: number } = {};
    for await (const chunk of await client.generate({ model: 'r', prompt, raw: true, stream: true, options: { num_predict: 12, seed: 3 } })) {
      streamed += chunk.response ?? '';
      if (chunk.done) last = chunk;
    }
    expect(streamed).toBe(single.response);
    expect([single.done_reason, single.eval_count, last.done_reason, last.eval_count]).toEqual(['length', 12, 'length', 12]);
    expect(countFakeTokens(streamed)).toBe(12);
  });

  it('Ollama /api/chat keeps thinking apart, streamed and not', async () => {
    const server = await start();
    const client = new Ollama({ host: server.url });
    const request = { model: 'qwen3', messages: [{ role: 'user', content: 'What is 2+3? [gold:5]' }], think: true, options: { seed: 8 } };
    const single = await client.chat({ ...request, stream: false });
    let content = '';
    let thinking = '';
    for await (const chunk of await client.chat({ ...request, stream: true })) {
      content += chunk.message.content;
      thinking += chunk.message.thinking ?? '';
    }
    expect(content).toBe(single.message.content);
    expect(thinking).toBe(single.message.thinking);
    expect(single.message.content).toMatch(/^The answer is \\boxed\{[56]\}\.$/);
    expect(single.eval_count).toBe(countFakeTokens(single.message.thinking ?? '') + 2 + 4);
  });

  it('OpenAI chat: reasoning_content apart, reasoning tokens counted, thinking_token_budget as a cap', async () => {
    const server = await start();
    const body = { model: 'r', messages: [{ role: 'user', content: 'What is 2+3? [gold:5]' }], max_tokens: 1000, seed: 8, thinking_token_budget: 10 };
    const response = await openai(server).chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const message = response.choices[0]?.message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
    expect(countFakeTokens(message.reasoning_content ?? '')).toBe(10);
    expect(response.usage?.completion_tokens_details?.reasoning_tokens).toBe(12);
    expect(response.usage?.completion_tokens).toBe(16);
  });
});

describe('fakeAccuracy', () => {
  it.each([
    [0, 0.1],
    [256, 0.1 + 0.8 * (1 - Math.exp(-1))],
    [1e9, 0.9],
  ])('after %i thinking words: %d', (words, expected) => {
    expect(fakeAccuracy(words)).toBeCloseTo(expected, 12);
  });
});
