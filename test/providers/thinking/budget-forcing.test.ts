import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { ConfigError } from '../../../harness/core/errors.ts';
import { forceBudget, maxThinkingCalls, type RawComplete, type RawCompleteOutput } from '../../../harness/providers/thinking/budget-forcing.ts';
import { auditThinkingBudget } from '../../../harness/providers/thinking/budget-audit.ts';
import { budgetForcedCompletion } from '../../../harness/providers/thinking/budget-forced-completion.ts';
import { thinkingDelimitersFor } from '../../../harness/providers/thinking/delimiters.ts';
import { thinkingConfigSchema } from '../../../harness/providers/thinking/thinking-config.ts';
import { ollamaGeneratePort, openaiCompletionsPort } from '../../../harness/providers/thinking/raw-ports.ts';
import { chatTemplateFor, renderChatPrompt } from '../../../harness/providers/thinking/templates.ts';
import { countFakeTokens, startFakeReasoner, type FakeReasoner } from '../../fakes/fake-reasoner.ts';

const model = 'qwen3:8b';
const delimiters = thinkingDelimitersFor(model);
const promptFor = (index: number): string => renderChatPrompt([{ role: 'user', content: `Problem ${index}: what is ${index} + 41? [gold:${index + 41}]` }], chatTemplateFor(model));
const signal = (): AbortSignal => new AbortController().signal;
const forcedAnswer = /^Final Answer: The answer is \\boxed\{\d+\}\.$/;

let server: FakeReasoner;
beforeAll(async () => {
  server = await startFakeReasoner();
});
afterAll(async () => {
  await server.close();
});

const protocols: ReadonlyArray<[string, () => RawComplete, string]> = [
  ['OpenAI /v1/completions (openai client)', () => openaiCompletionsPort(new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 }), model), '/v1/completions'],
  ['Ollama /api/generate raw (ollama client)', () => ollamaGeneratePort(new Ollama({ host: server.url }), model), '/api/generate'],
];

/** The token limit and stop strings a request asked for, in either wire protocol. */
function limitsOf(body: Record<string, unknown>): { maxTokens: unknown; stop: unknown; prompt: unknown } {
  const options = (body['options'] ?? {}) as Record<string, unknown>;
  return body['options'] === undefined
    ? { maxTokens: body['max_tokens'], stop: body['stop'] ?? [], prompt: body['prompt'] }
    : { maxTokens: options['num_predict'], stop: options['stop'] ?? [], prompt: body['prompt'] };
}

describe.each(protocols)('budget forcing over %s', (_name, makePort, path) => {
  it.each([1, 16, 64, 200, 500])('never thinks past a budget of %i tokens (10 seeds)', async (budget) => {
    const port = makePort();
    for (let seed = 1; seed <= 10; seed += 1) {
      const result = await forceBudget(port, { prompt: promptFor(seed), budget, answerMaxTokens: 32, delimiters, seed, signal: signal() });
      expect(result.thinkingTokens).toBeLessThanOrEqual(budget);
      if (result.hit) {
        expect(result.thinkingTokens).toBe(budget);
        expect(result.forcedAnswer).toBe(true);
        expect(result.answer).toMatch(forcedAnswer);
      } else {
        expect(result.forcedAnswer).toBe(false);
        expect(result.answer).toMatch(/^The answer is \\boxed\{\d+\}\.$/);
      }
      expect(result.calls).toBe(2);
    }
  });

  it('closes at once for budget 0 and extracts the forced answer', async () => {
    const before = server.requests.length;
    const result = await forceBudget(makePort(), { prompt: promptFor(7), budget: 0, answerMaxTokens: 32, delimiters, seed: 7, signal: signal() });
    expect(result).toMatchObject({ thinking: '', thinkingTokens: 0, answerTokens: 4, calls: 1, hit: true, forcedAnswer: true, waits: 0, finishReason: 'stop' });
    expect(result.answer).toMatch(forcedAnswer);
    const requests = server.requests.slice(before);
    expect(requests.map((request) => request.path)).toEqual([path]);
    expect(limitsOf(requests[0]?.body ?? {})).toEqual({ maxTokens: 32, stop: [], prompt: `${promptFor(7)}</think>\n\nFinal Answer:` });
  });

  it('asks for the remaining budget, stops at </think>, then closes the thinking and cues the answer', async () => {
    const before = server.requests.length;
    const prompt = promptFor(3);
    const result = await forceBudget(makePort(), { prompt, budget: 20, answerMaxTokens: 50, delimiters, seed: 3, signal: signal() });
    const requests = server.requests.slice(before).map((request) => limitsOf(request.body));
    expect(requests).toEqual([
      { maxTokens: 20, stop: ['</think>'], prompt },
      { maxTokens: 50, stop: [], prompt: `${prompt}${result.thinking}\n</think>\n\nFinal Answer:` },
    ]);
    expect(result).toMatchObject({ thinkingTokens: 20, hit: true, forcedAnswer: true, calls: 2 });
    expect(countFakeTokens(result.thinking)).toBe(20);
    // Prompt tokens are summed over both calls: the answer call re-sends the prompt and the thinking.
    expect(result.firstPromptTokens).toBe(countFakeTokens(prompt));
    expect(result.promptTokens).toBe(countFakeTokens(prompt) + countFakeTokens(`${prompt}${result.thinking}\n</think>\n\nFinal Answer:`));
  });

  it('lets the model close its thinking when the budget allows (no cue, thinking = words + the close tag)', async () => {
    const result = await forceBudget(makePort(), { prompt: promptFor(5), budget: 100_000, answerMaxTokens: 32, delimiters, seed: 5, signal: signal() });
    expect(result).toMatchObject({ hit: false, forcedAnswer: false, waits: 0, calls: 2, answerTokens: 4 });
    expect(result.thinkingTokens).toBe(countFakeTokens(result.thinking) + 1);
    expect(result.answer).toMatch(/^The answer is \\boxed\{\d+\}\.$/);
  });

  it('extends thinking with "Wait" up to maxWaits (10 seeds)', async () => {
    const port = makePort();
    for (let seed = 1; seed <= 10; seed += 1) {
      const options = { prompt: promptFor(seed), budget: 100_000, answerMaxTokens: 32, delimiters, seed, signal: signal() };
      const plain = await forceBudget(port, options);
      const extended = await forceBudget(port, { ...options, maxWaits: 2 });
      expect(plain.waits).toBe(0);
      expect(extended.waits).toBe(2);
      expect(extended.calls).toBe(4);
      expect(extended.thinking.split(/\s+/).filter((word) => word === 'Wait')).toEqual(['Wait', 'Wait']);
      expect(extended.thinkingTokens).toBeGreaterThan(plain.thinkingTokens);
      // The first segment is the same thought: the model was only kept from closing it.
      expect(extended.thinking.startsWith(plain.thinking)).toBe(true);
      expect(extended.forcedAnswer).toBe(false);
    }
  });

  it('stops waiting when a "Wait" runs into the budget, and forces the answer', async () => {
    const first = await forceBudget(makePort(), { prompt: promptFor(2), budget: 100_000, answerMaxTokens: 32, delimiters, seed: 2, signal: signal() });
    const budget = first.thinkingTokens + 10;
    const result = await forceBudget(makePort(), { prompt: promptFor(2), budget, answerMaxTokens: 32, delimiters, seed: 2, maxWaits: 5, signal: signal() });
    expect(result).toMatchObject({ thinkingTokens: budget, waits: 1, hit: true, forcedAnswer: true, calls: 3 });
    expect(result.answer).toMatch(forcedAnswer);
  });

  it('cuts the answer at its own limit (finish length)', async () => {
    const result = await forceBudget(makePort(), { prompt: promptFor(4), budget: 8, answerMaxTokens: 2, delimiters, seed: 4, signal: signal() });
    expect(result).toMatchObject({ answer: 'Final Answer: The answer', answerTokens: 2, finishReason: 'length' });
  });

  it('makes no call with an aborted signal', async () => {
    const before = server.requests.length;
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    await expect(forceBudget(makePort(), { prompt: promptFor(1), budget: 10, answerMaxTokens: 8, delimiters, seed: 1, signal: controller.signal })).rejects.toThrow('stop now');
    expect(server.requests.length).toBe(before);
  });
});

describe('budgetForcedCompletion', () => {
  it('renders chat messages with the family template and returns a Completion with the bookkeeping', async () => {
    const before = server.requests.length;
    const port = openaiCompletionsPort(new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 }), 'deepseek-r1:7b');
    const completion = await budgetForcedCompletion(port, {
      prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 1 + 1? [gold:2]' }] },
      modelName: 'deepseek-r1:7b',
      budget: 12,
      answerMaxTokens: 16,
      seed: 9,
      signal: signal(),
      settings: { answerCue: 'Answer:' },
    });
    expect(server.requests[before]?.body['prompt']).toBe('<｜User｜>What is 1 + 1? [gold:2]<｜Assistant｜><think>\n');
    expect(completion.text).toMatch(/^Answer: The answer is \\boxed\{\d+\}\.$/);
    expect(completion.usage.thinkingTokens).toBe(12);
    expect(completion.usage.completionTokens).toBe(16);
    expect(completion.finishReason).toBe('stop');
    expect(completion.thinkingBudget).toEqual({ requested: 12, strategy: 'budget-forcing', hit: true, forcedAnswer: true, waits: 0 });
    expect(countFakeTokens(completion.thinking ?? '')).toBe(12);
  });
});

describe('budgetForcedCompletion with a parsed `thinking:` block', () => {
  it('takes the resolved config as settings (family, cue, waits)', async () => {
    const port = openaiCompletionsPort(new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 }), 'my-finetune');
    const settings = thinkingConfigSchema.parse({ family: 'deepseek-r1', answerCue: 'So the answer:', maxWaits: 1 });
    const before = server.requests.length;
    const completion = await budgetForcedCompletion(port, {
      prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 2 + 2? [gold:4]' }] },
      modelName: 'my-finetune',
      budget: 100_000,
      answerMaxTokens: 16,
      seed: 3,
      signal: signal(),
      settings,
    });
    expect(server.requests[before]?.body['prompt']).toBe('<｜User｜>What is 2 + 2? [gold:4]<｜Assistant｜><think>\n');
    expect(completion.thinkingBudget).toEqual({ requested: 100_000, strategy: 'budget-forcing', hit: false, forcedAnswer: false, waits: 1 });
    expect(completion.text).toMatch(/^The answer is \\boxed\{[45]\}\.$/);
  });
});

describe('budget forcing against a server that ignores max_tokens', () => {
  it('records the overrun and the audit flags it', async () => {
    const broken = await startFakeReasoner({ ignoreMaxTokens: true, minThinkingWords: 300, maxThinkingWords: 600 });
    try {
      const port = openaiCompletionsPort(new OpenAI({ baseURL: `${broken.url}/v1`, apiKey: 'x', maxRetries: 0 }), model);
      const completion = await budgetForcedCompletion(port, {
        prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 1 + 1? [gold:2]' }] },
        modelName: model,
        budget: 64,
        answerMaxTokens: 16,
        seed: 1,
        signal: signal(),
      });
      expect(completion.usage.thinkingTokens).toBeGreaterThan(300);
      expect(completion.thinkingBudget).toEqual({ requested: 64, strategy: 'budget-forcing', hit: false, forcedAnswer: false, waits: 0 });
      expect(auditThinkingBudget(completion, 64).findings.map((finding) => finding.code)).toEqual(['THINKING_BUDGET_IGNORED']);
    } finally {
      await broken.close();
    }
  });
});

/** A scripted raw port: returns the listed outputs in turn (the last one repeats) and records inputs. */
function scriptedPort(outputs: ReadonlyArray<RawCompleteOutput>): { port: RawComplete; inputs: Array<{ prompt: string; maxTokens: number; stop: string[] }> } {
  const inputs: Array<{ prompt: string; maxTokens: number; stop: string[] }> = [];
  const port: RawComplete = async (input) => {
    inputs.push({ prompt: input.prompt, maxTokens: input.maxTokens, stop: input.stop });
    const output = outputs[Math.min(inputs.length - 1, outputs.length - 1)];
    if (output === undefined) throw new Error('script is empty');
    return output;
  };
  return { port, inputs };
}

describe('forceBudget edge cases (scripted port)', () => {
  const stopAfter = (text: string, tokens: number): RawCompleteOutput => ({ text, completionTokens: tokens, promptTokens: 10, finishReason: 'stop' });

  it('keeps the model thinking until minThinkingTokens, beyond maxWaits', async () => {
    const { port, inputs } = scriptedPort([stopAfter('five words of thought here', 5)]);
    const result = await forceBudget(port, { prompt: 'P<think>\n', budget: 100, answerMaxTokens: 8, delimiters, minThinkingTokens: 12, seed: 1, signal: signal() });
    expect(result).toMatchObject({ thinkingTokens: 15, waits: 2, calls: 4, hit: false, forcedAnswer: false });
    expect(inputs.map((input) => input.maxTokens)).toEqual([100, 95, 90, 8]);
    expect(inputs[3]?.prompt).toBe('P<think>\nfive words of thought here\nWaitfive words of thought here\nWaitfive words of thought here\n</think>\n\n');
  });

  it('gives up after maxThinkingCalls calls that generate nothing, and forces the answer', async () => {
    const { port, inputs } = scriptedPort([stopAfter('', 0)]);
    const result = await forceBudget(port, { prompt: 'P<think>\n', budget: 100, answerMaxTokens: 8, delimiters, minThinkingTokens: 50, seed: 1, signal: signal() });
    expect(inputs.length).toBe(maxThinkingCalls + 1);
    expect(result).toMatchObject({ thinkingTokens: 0, waits: maxThinkingCalls, hit: false, forcedAnswer: true });
  });

  it('records honestly a server that generates past max_tokens', async () => {
    const { port } = scriptedPort([stopAfter('a long thought', 500), stopAfter('42', 1)]);
    const result = await forceBudget(port, { prompt: 'P<think>\n', budget: 100, answerMaxTokens: 8, delimiters, seed: 1, signal: signal() });
    expect(result).toMatchObject({ thinkingTokens: 500, hit: false, forcedAnswer: false, answer: '42', promptTokens: 20 });
  });

  it('marks estimated usage', async () => {
    const { port } = scriptedPort([{ ...stopAfter('x', 1), finishReason: 'length', usageEstimated: true }]);
    const result = await forceBudget(port, { prompt: 'P<think>\n', budget: 1, answerMaxTokens: 8, delimiters, seed: 1, signal: signal() });
    expect(result.usageEstimated).toBe(true);
  });

  it.each([
    [{ budget: -1 }, 'budget -1 (a whole number ≥ 0)'],
    [{ budget: 1.5 }, 'budget 1.5 (a whole number ≥ 0)'],
    [{ answerMaxTokens: 0 }, 'answerMaxTokens 0 (a whole number ≥ 1)'],
    [{ maxWaits: -2 }, 'maxWaits -2 (a whole number ≥ 0)'],
    [{ minThinkingTokens: 0.5 }, 'minThinkingTokens 0.5 (a whole number ≥ 0)'],
  ])('rejects %o', async (override, message) => {
    const { port, inputs } = scriptedPort([stopAfter('', 0)]);
    const options = { prompt: 'P', budget: 10, answerMaxTokens: 8, delimiters, seed: 1, signal: signal(), ...override };
    await expect(forceBudget(port, options)).rejects.toThrow(ConfigError);
    await expect(forceBudget(port, options)).rejects.toMatchObject({ code: 'THINKING_OPTIONS_INVALID', message: `invalid budget-forcing options: ${message}` });
    expect(inputs).toEqual([]);
  });
});
