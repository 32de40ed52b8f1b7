import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../harness/core/errors.ts';
import { createHuggingFaceRewardScorer } from '../../harness/selection/scorers/huggingface-reward.ts';
import type { ScoreCandidate } from '../../harness/selection/scorers/types.ts';
import { createVllmRewardScorer } from '../../harness/selection/scorers/vllm-reward.ts';
import { countWords, type FakeFault, type FakeServer } from '../fakes/fake-http.ts';
import { fakeSigmoid, startFakeReward, type FakeRewardOptions, type FakeRewardServer } from '../fakes/fake-reward.ts';

const candidate: ScoreCandidate = {
  cell: 'm/toy/think0/t0.7',
  problem: 'p1',
  index: 0,
  question: 'What is 6 times 7?',
  solution: 'Six sevens make 42, reward=1.25 so \\boxed{42}',
  answerKey: '42',
  correct: true,
};
const signal = new AbortController().signal;
const servers: FakeServer[] = [];

async function start(options: FakeRewardOptions = {}): Promise<FakeRewardServer> {
  const server = await startFakeReward(options);
  servers.push(server);
  return server;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('vLLM reward scorer', () => {
  it('pooling: sends the conversation and reads the reward as a logit, with vLLM-reported prompt tokens', async () => {
    const server = await start({ apiKey: 'sk-reward-123456' });
    const scorer = createVllmRewardScorer({ endpoint: `${server.url}/v1`, model: 'rm', systemPrompt: 'Please reason step by step.' }, { apiKey: 'sk-reward-123456' });
    const outcome = await scorer.score(candidate, signal);
    const tokens = countWords('Please reason step by step.') + countWords(candidate.question) + countWords(candidate.solution) + 12;
    expect(outcome).toEqual({ score: 1.25, scale: 'logit', usage: { promptTokens: tokens, completionTokens: 0 }, modelName: 'rm' });
    expect(server.requests[0]?.path).toBe('/pooling');
    expect(server.requests[0]?.body).toEqual({
      model: 'rm',
      messages: [
        { role: 'system', content: 'Please reason step by step.' },
        { role: 'user', content: candidate.question },
        { role: 'assistant', content: candidate.solution },
      ],
    });
    expect(scorer.id).toBe('reward:rm');
    expect(scorer.kind).toBe('reward-model');
  });

  it('pooling with one row per token (ALL pooling): the reward is the last token', async () => {
    const server = await start({ tokenRows: true });
    const outcome = await createVllmRewardScorer({ endpoint: server.url, model: 'rm' }).score(candidate, signal);
    expect(outcome.score).toBe(1.25);
  });

  it('classify: the probability of the last class, as a probability', async () => {
    const server = await start();
    const outcome = await createVllmRewardScorer({ endpoint: server.url, model: 'rm', api: 'classify', template: 'Q: {question}\nA: {solution}' }).score(candidate, signal);
    const input = `Q: ${candidate.question}\nA: ${candidate.solution}`;
    expect(outcome).toEqual({ score: fakeSigmoid(1.25), scale: 'probability', usage: { promptTokens: countWords(input), completionTokens: 0 }, modelName: 'rm' });
    expect(server.requests[0]?.body).toEqual({ model: 'rm', input: [input] });
  });

  it('classify with labelIndex 0 reads the first class', async () => {
    const server = await start();
    const outcome = await createVllmRewardScorer({ endpoint: server.url, model: 'rm', api: 'classify', labelIndex: 0 }).score(candidate, signal);
    expect(outcome.score).toBeCloseTo(1 - fakeSigmoid(1.25), 12);
  });

  it('score: question and candidate as text_1 and text_2', async () => {
    const server = await start();
    const outcome = await createVllmRewardScorer({ endpoint: server.url, model: 'rm', api: 'score' }).score(candidate, signal);
    expect(outcome.score).toBe(fakeSigmoid(1.25));
    expect(server.requests[0]?.path).toBe('/score');
    expect(server.requests[0]?.body).toEqual({ model: 'rm', text_1: candidate.question, text_2: candidate.solution });
  });

  it('without usage in the answer, the prompt tokens are estimated and marked', async () => {
    const server = await start({ noUsage: true });
    const outcome = await createVllmRewardScorer({ endpoint: server.url, model: 'rm' }).score(candidate, signal);
    expect(outcome.usage).toEqual({ promptTokens: Math.ceil((candidate.question.length + candidate.solution.length) / 4), completionTokens: 0, estimated: true });
  });

  it.each<[string, FakeFault, { code: string; retryable: boolean; retryAfterMs?: number; status?: number }]>([
    ['503 with Retry-After', { kind: 'status', status: 503, retryAfter: '2' }, { code: 'SERVER_ERROR', retryable: true, retryAfterMs: 2000, status: 503 }],
    ['429', { kind: 'status', status: 429 }, { code: 'RATE_LIMITED', retryable: true, status: 429 }],
    ['400', { kind: 'status', status: 400, message: 'pooling task not supported' }, { code: 'BAD_REQUEST', retryable: false, status: 400 }],
    ['a reset connection', { kind: 'reset' }, { code: 'CONNECTION_RESET', retryable: true }],
    ['malformed JSON', { kind: 'malformed' }, { code: 'MALFORMED_RESPONSE', retryable: true }],
  ])('%s becomes a ProviderError', async (_, fault, expected) => {
    const server = await start({ faults: [fault] });
    const error = await failure(createVllmRewardScorer({ endpoint: server.url, model: 'rm' }).score(candidate, signal));
    expect({ code: error.code, retryable: error.retryable, retryAfterMs: error.retryAfterMs, status: error.status }).toEqual({
      retryAfterMs: undefined,
      status: undefined,
      ...expected,
    });
  });

  it('an unknown model is MODEL_NOT_FOUND with a hint naming the route, and the key never appears', async () => {
    const server = await start({ models: ['other'] });
    const error = await failure(createVllmRewardScorer({ endpoint: server.url, model: 'rm', api: 'classify' }, { apiKey: 'sk-secret-abcdef' }).score(candidate, signal));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.retryable).toBe(false);
    expect(error.hint).toBe(`Check that ${server.url} runs vLLM with a pooling model named rm (\`vllm serve <model> --runner pooling\`) and serves /classify.`);
    expect(JSON.stringify({ message: error.message, hint: error.hint })).not.toContain('sk-secret-abcdef');
  });

  it('a label index outside the output is REWARD_OUTPUT_INVALID (not retryable)', async () => {
    const server = await start();
    const error = await failure(createVllmRewardScorer({ endpoint: server.url, model: 'rm', labelIndex: 3 }).score(candidate, signal));
    expect(error.code).toBe('REWARD_OUTPUT_INVALID');
    expect(error.retryable).toBe(false);
  });
});

describe('Hugging Face text-classification reward scorer', () => {
  it('calls the endpoint through InferenceClient.textClassification and reads LABEL_1', async () => {
    const server = await start({ apiKey: 'hf_testtoken123' });
    const scorer = createHuggingFaceRewardScorer({ endpointUrl: server.hfEndpointUrl, model: 'org/rm', topK: 2 }, { apiKey: 'hf_testtoken123' });
    const outcome = await scorer.score(candidate, signal);
    const inputs = `${candidate.question}\n\n${candidate.solution}`;
    expect(outcome).toEqual({ score: fakeSigmoid(1.25), scale: 'probability', usage: { promptTokens: Math.ceil(inputs.length / 4), completionTokens: 0, estimated: true } });
    expect(server.requests[0]?.path).toBe('/hf-endpoint');
    expect(server.requests[0]?.body).toEqual({ inputs, parameters: { top_k: 2 } });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer hf_testtoken123');
  });

  it('a positive label missing from the answer is REWARD_LABEL_MISSING listing the labels', async () => {
    const server = await start({ rewardOf: () => -2 });
    const error = await failure(createHuggingFaceRewardScorer({ endpointUrl: server.hfEndpointUrl, model: 'org/rm', topK: 1 }).score(candidate, signal));
    expect(error.code).toBe('REWARD_LABEL_MISSING');
    expect(error.message).toBe("huggingface reward model org/rm: no label 'LABEL_1' in the answer (labels: LABEL_0)");
    expect(error.retryable).toBe(false);
  });

  it('a custom positive label is read with the parameters asked for', async () => {
    const server = await start({ rewardOf: () => -2 });
    const outcome = await createHuggingFaceRewardScorer({ endpointUrl: server.hfEndpointUrl, model: 'org/rm', positiveLabel: 'LABEL_0', functionToApply: 'none' }).score(candidate, signal);
    expect(outcome.score).toBe(1 - fakeSigmoid(-2));
    expect(outcome.scale).toBe('logit');
    expect(server.requests[0]?.body).toEqual({ inputs: `${candidate.question}\n\n${candidate.solution}`, parameters: { function_to_apply: 'none' } });
  });

  it.each<[string, FakeFault, { code: string; retryable: boolean; status?: number; retryAfterMs?: number }]>([
    ['503 with Retry-After (no client-side retry)', { kind: 'status', status: 503, retryAfter: '1' }, { code: 'SERVER_ERROR', retryable: true, status: 503, retryAfterMs: 1000 }],
    ['401', { kind: 'status', status: 401 }, { code: 'UNAUTHORIZED', retryable: false, status: 401 }],
  ])('%s becomes a ProviderError', async (_, fault, expected) => {
    const server = await start({ faults: [fault] });
    const error = await failure(createHuggingFaceRewardScorer({ endpointUrl: server.hfEndpointUrl, model: 'org/rm' }).score(candidate, signal));
    expect({ code: error.code, retryable: error.retryable, status: error.status, retryAfterMs: error.retryAfterMs }).toEqual({ status: undefined, retryAfterMs: undefined, ...expected });
    expect(server.requests).toHaveLength(1);
  });
});
