import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { budgetForcedCompletion } from '../../../harness/providers/thinking/budget-forced-completion.ts';
import type { RawComplete } from '../../../harness/providers/thinking/budget-forcing.ts';
import { ollamaGeneratePort, openaiCompletionsPort } from '../../../harness/providers/thinking/raw-ports.ts';
import { startFakeReasoner, type FakeReasoner } from '../../fakes/fake-reasoner.ts';

const problems = Array.from({ length: 50 }, (_, index) => ({ question: `Problem ${index}: find the value. [gold:${index * 7}]`, gold: String(index * 7) }));
const budgets = [0, 64, 256, 1024];

let server: FakeReasoner;
beforeAll(async () => {
  server = await startFakeReasoner();
});
afterAll(async () => {
  await server.close();
});

/** The content of the last `\boxed{…}` of a text, or null. */
function lastBoxed(text: string): string | null {
  const matches = [...text.matchAll(/\\boxed\{([^{}]*)\}/g)];
  return matches.at(-1)?.[1] ?? null;
}

async function sweep(port: RawComplete, sweepBudgets = budgets, maxWaits = 0): Promise<Array<{ budget: number; correct: number; meanThinkingTokens: number; forced: number }>> {
  const rows = [];
  for (const budget of sweepBudgets) {
    let correct = 0;
    let thinkingTokens = 0;
    let forced = 0;
    for (const [index, problem] of problems.entries()) {
      const completion = await budgetForcedCompletion(port, {
        prompt: { kind: 'chat', messages: [{ role: 'user', content: problem.question }] },
        modelName: 'qwen3:8b',
        budget,
        answerMaxTokens: 32,
        seed: 1000 + index,
        signal: new AbortController().signal,
        settings: { maxWaits },
      });
      if (lastBoxed(completion.text) === problem.gold) correct += 1;
      thinkingTokens += completion.usage.thinkingTokens;
      if (completion.thinkingBudget?.forcedAnswer === true) forced += 1;
      expect(completion.usage.thinkingTokens).toBeLessThanOrEqual(budget);
    }
    rows.push({ budget, correct, meanThinkingTokens: thinkingTokens / problems.length, forced });
  }
  return rows;
}

describe('accuracy against thinking budget (fake reasoner, 50 problems, budgets 0/64/256/1024)', () => {
  it.each<[string, () => RawComplete]>([
    ['OpenAI /v1/completions', () => openaiCompletionsPort(new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 }), 'qwen3:8b')],
    ['Ollama /api/generate raw', () => ollamaGeneratePort(new Ollama({ host: server.url }), 'qwen3:8b')],
  ])('rises with the budget over %s', async (_name, makePort) => {
    const rows = await sweep(makePort());
    const correct = rows.map((row) => row.correct);
    for (let index = 1; index < correct.length; index += 1) expect(correct[index]).toBeGreaterThan(correct[index - 1] ?? Infinity);
    // Seeded: the same figures on every run and over both protocols.
    expect(rows).toEqual(EXPECTED);
  });

  it('"Wait" (maxWaits 2) raises accuracy at a budget the model does not use up by itself', async () => {
    const port = openaiCompletionsPort(new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 }), 'qwen3:8b');
    expect(await sweep(port, [1024], 2)).toEqual([{ budget: 1024, correct: 43, meanThinkingTokens: 674.86, forced: 12 }]);
  });
});

const EXPECTED = [
  { budget: 0, correct: 7, meanThinkingTokens: 0, forced: 50 },
  { budget: 64, correct: 13, meanThinkingTokens: 64, forced: 50 },
  { budget: 256, correct: 24, meanThinkingTokens: 201.82, forced: 25 },
  { budget: 1024, correct: 31, meanThinkingTokens: 414.9, forced: 5 },
];
