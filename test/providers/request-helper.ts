/** Builds GenerateRequests for provider tests. */
import type { GenerateRequest, PromptInput } from '../../harness/providers/types.ts';

/** The chat prompt most tests send. */
export const chatPrompt: PromptInput = { kind: 'chat', messages: [{ role: 'user', content: 'What is 6 times 7?' }] };

/** A request with test defaults; `overrides` replace fields. */
export function makeRequest(endpoint: string, overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    prompt: chatPrompt,
    seeds: [11],
    temperature: 0.7,
    maxTokens: 256,
    thinkingBudget: 0,
    endpoint,
    problemId: 'problem-1',
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** The rejection of a promise (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
