import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { ConfigError } from '../../../harness/core/errors.ts';
import { huggingfaceModelSchema, ollamaModelSchema, openaiModelSchema, simModelSchema } from '../../../harness/config/model-schema.ts';
import type { Completion } from '../../../harness/providers/types.ts';
import { auditThinkingBudget } from '../../../harness/providers/thinking/budget-audit.ts';
import {
  chooseThinkingStrategy,
  effortForBudget,
  nativeThinkingParams,
  type NativeThinkingStrategy,
  type ThinkingModelInfo,
} from '../../../harness/providers/thinking/native.ts';
import { thinkingConfigSchema, type ThinkingStrategy } from '../../../harness/providers/thinking/thinking-config.ts';
import { startFakeReasoner, type FakeReasoner, type FakeReasonerOptions } from '../../fakes/fake-reasoner.ts';

describe('effortForBudget', () => {
  it.each([
    [0, 'low'],
    [1024, 'low'],
    [1025, 'medium'],
    [4096, 'medium'],
    [4097, 'high'],
    [16384, 'high'],
  ])('%i → %s', (budget, level) => {
    expect(effortForBudget(budget)).toBe(level);
  });

  it('takes other thresholds', () => {
    expect([100, 101, 501].map((budget) => effortForBudget(budget, { low: 100, medium: 500 }))).toEqual(['low', 'medium', 'high']);
  });
});

describe('nativeThinkingParams', () => {
  it.each<[NativeThinkingStrategy, number, boolean | undefined, unknown]>([
    ['native-vllm', 0, undefined, { strategy: 'native-vllm', fields: { thinking_token_budget: 0 }, maxTokens: 512, guarantee: 'token-cap' }],
    ['native-vllm', 1024, undefined, { strategy: 'native-vllm', fields: { thinking_token_budget: 1024 }, maxTokens: 1536, guarantee: 'token-cap' }],
    ['reasoning-effort', 0, undefined, { strategy: 'reasoning-effort', fields: { reasoning_effort: 'low' }, maxTokens: 512, guarantee: 'level' }],
    ['reasoning-effort', 2048, undefined, { strategy: 'reasoning-effort', fields: { reasoning_effort: 'medium' }, maxTokens: 2560, guarantee: 'level' }],
    ['reasoning-effort', 16384, undefined, { strategy: 'reasoning-effort', fields: { reasoning_effort: 'high' }, maxTokens: 16896, guarantee: 'level' }],
    ['ollama-think', 0, undefined, { strategy: 'ollama-think', fields: { think: false }, maxTokens: 512, guarantee: 'on-off' }],
    ['ollama-think', 256, undefined, { strategy: 'ollama-think', fields: { think: true }, maxTokens: 768, guarantee: 'on-off' }],
    ['ollama-think', 256, true, { strategy: 'ollama-think', fields: { think: 'low' }, maxTokens: 768, guarantee: 'level' }],
    ['ollama-think', 8192, true, { strategy: 'ollama-think', fields: { think: 'high' }, maxTokens: 8704, guarantee: 'level' }],
  ])('%s, budget %i, levels %s', (strategy, budget, levels, expected) => {
    expect(nativeThinkingParams(strategy, budget, { answerMaxTokens: 512, ...(levels === undefined ? {} : { ollamaLevels: levels }) })).toEqual(expected);
  });

  it.each([-1, 2.5])('rejects budget %d', (budget) => {
    expect(() => nativeThinkingParams('native-vllm', budget, { answerMaxTokens: 1 })).toThrow(ConfigError);
  });
});

describe('chooseThinkingStrategy', () => {
  const ollama = (model: string, extra: Record<string, unknown> = {}): ThinkingModelInfo => ollamaModelSchema.parse({ id: 'm', provider: 'ollama', model, ...extra });
  const openai = (model: string, extra: Record<string, unknown> = {}): ThinkingModelInfo =>
    openaiModelSchema.parse({ id: 'm', provider: 'openai', model, endpoints: ['http://127.0.0.1:8000/v1'], ...extra });
  const huggingface = (model: string): ThinkingModelInfo => huggingfaceModelSchema.parse({ id: 'm', provider: 'huggingface', model });

  it.each<[string, ThinkingModelInfo, number, ThinkingStrategy]>([
    ['sim', simModelSchema.parse({ id: 's', provider: 'sim', profile: 'p' }), 1024, 'none'],
    ['llama-cpp', { provider: 'llama-cpp' }, 1024, 'budget-forcing'],
    ['Ollama qwen3 (chat api)', ollama('qwen3:8b'), 1024, 'budget-forcing'],
    ['Ollama qwen3 budget 0', ollama('qwen3:8b'), 0, 'budget-forcing'],
    ['Ollama deepseek-r1 (generate api)', ollama('deepseek-r1:7b', { api: 'generate' }), 256, 'budget-forcing'],
    ['Ollama unknown model, budget 256', ollama('llama3.2:1b'), 256, 'ollama-think'],
    ['Ollama unknown model, budget 0', ollama('llama3.2:1b'), 0, 'none'],
    ['vLLM R1 distill over completions', openai('deepseek-ai/DeepSeek-R1-Distill-Qwen-7B', { api: 'completions' }), 1024, 'budget-forcing'],
    ['vLLM R1 distill over chat', openai('deepseek-ai/DeepSeek-R1-Distill-Qwen-7B'), 1024, 'native-vllm'],
    ['vLLM gpt-oss over chat', openai('openai/gpt-oss-20b'), 1024, 'reasoning-effort'],
    ['OpenAI o4-mini', openai('o4-mini'), 1024, 'reasoning-effort'],
    ['OpenAI gpt-4o', openai('gpt-4o'), 1024, 'none'],
    ['HF gpt-oss', huggingface('openai/gpt-oss-120b'), 1024, 'reasoning-effort'],
    ['HF Qwen3', huggingface('Qwen/Qwen3-32B'), 1024, 'none'],
    ['config override', { ...ollama('qwen3:8b'), thinking: { strategy: 'ollama-think' } }, 1024, 'ollama-think'],
    ['config auto', { ...ollama('qwen3:8b'), thinking: { strategy: 'auto' } }, 1024, 'budget-forcing'],
    ['family from config', { ...openai('my-finetune'), thinking: { family: 'qwen3' } }, 1024, 'native-vllm'],
  ])('%s → %s', (_name, model, budget, expected) => {
    expect(chooseThinkingStrategy(model, budget)).toBe(expected);
  });

  it('takes a model entry parsed by a schema extended with the proposed `thinking:` block', () => {
    const schema = ollamaModelSchema.extend({ thinking: thinkingConfigSchema.optional() });
    const parsed = schema.parse({ id: 'm', provider: 'ollama', model: 'qwen3:8b', thinking: { strategy: 'ollama-think' } });
    expect(chooseThinkingStrategy(parsed, 256)).toBe('ollama-think');
    expect(chooseThinkingStrategy(schema.parse({ id: 'm', provider: 'ollama', model: 'qwen3:8b' }), 256)).toBe('budget-forcing');
    expect(schema.safeParse({ id: 'm', provider: 'ollama', model: 'qwen3:8b', thinkng: {} }).success).toBe(false);
  });
});

describe('thinkingConfigSchema (proposed `thinking:` block)', () => {
  it('fills the defaults', () => {
    expect(thinkingConfigSchema.parse({})).toEqual({ strategy: 'auto', answerCue: 'Final Answer:', waitToken: 'Wait', maxWaits: 0, minThinkingTokens: 0 });
  });

  it.each([
    [{ strategy: 'forcing' }],
    [{ maxWait: 2 }],
    [{ effortThresholds: { low: 4096, medium: 1024 } }],
    [{ delimiters: { open: '<think>' } }],
  ])('rejects %o', (input) => {
    expect(thinkingConfigSchema.safeParse(input).success).toBe(false);
  });
});

/** Maps an OpenAI chat response to a Completion the way a provider does (fake-side test helper). */
function chatCompletion(response: OpenAI.ChatCompletion, requested: number, strategy: string): Completion {
  const choice = response.choices[0];
  const message = choice?.message as (OpenAI.ChatCompletionMessage & { reasoning_content?: string | null }) | undefined;
  const completion: Completion = {
    text: message?.content ?? '',
    usage: {
      promptTokens: response.usage?.prompt_tokens ?? 0,
      completionTokens: response.usage?.completion_tokens ?? 0,
      thinkingTokens: response.usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    },
    finishReason: choice?.finish_reason === 'length' ? 'length' : 'stop',
    thinkingBudget: { requested, strategy, hit: false },
  };
  if (typeof message?.reasoning_content === 'string') completion.thinking = message.reasoning_content;
  return completion;
}

describe('native knobs against the fake reasoner', () => {
  const servers: FakeReasoner[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  const start = async (options: FakeReasonerOptions = {}): Promise<FakeReasoner> => {
    const server = await startFakeReasoner(options);
    servers.push(server);
    return server;
  };

  async function vllmChat(server: FakeReasoner, budget: number, seed: number, answerMaxTokens = 64): Promise<Completion> {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const native = nativeThinkingParams('native-vllm', budget, { answerMaxTokens });
    const body = { model: 'deepseek-r1', messages: [{ role: 'user' as const, content: 'What is 2+3? [gold:5]' }], max_tokens: native.maxTokens, seed, ...native.fields };
    const response = await client.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming);
    return chatCompletion(response, budget, 'native-vllm');
  }

  it.each([0, 16, 64, 256])('a server that enforces thinking_token_budget %i passes the audit (10 seeds)', async (budget) => {
    const server = await start();
    for (let seed = 1; seed <= 10; seed += 1) {
      const completion = await vllmChat(server, budget, seed);
      const audit = auditThinkingBudget(completion, budget);
      // The cap counts thinking words; `<think>` and `</think>` add two tokens.
      expect(completion.usage.thinkingTokens).toBeLessThanOrEqual(budget + 2);
      expect(audit.findings).toEqual([]);
      expect(completion.text).toMatch(/^The answer is \\boxed\{\d+\}\.$/);
    }
    expect(server.requests[0]?.body['thinking_token_budget']).toBe(budget);
  });

  it('flags a server that ignores thinking_token_budget', async () => {
    const server = await start({ ignoreBudgets: true, minThinkingWords: 400, maxThinkingWords: 800 });
    const audits = [];
    for (let seed = 1; seed <= 10; seed += 1) audits.push(auditThinkingBudget(await vllmChat(server, 64, seed, 2000), 64));
    expect(audits.map((audit) => audit.ignored)).toEqual(Array.from({ length: 10 }, () => true));
    expect(audits[0]?.findings.map((finding) => finding.code)).toEqual(['THINKING_BUDGET_IGNORED']);
    expect(audits.every((audit) => audit.thinkingTokens >= 402)).toBe(true);
  });

  it('flags an answer left empty when the thinking spent the whole limit', async () => {
    const server = await start({ ignoreBudgets: true, minThinkingWords: 400, maxThinkingWords: 800 });
    const completion = await vllmChat(server, 64, 1, 10);
    expect(completion).toMatchObject({ text: '', finishReason: 'length', usage: { completionTokens: 74, thinkingTokens: 74 } });
    const audit = auditThinkingBudget(completion, 64);
    expect(audit).toMatchObject({ ignored: false, hit: true, emptyAnswer: true, emptyAnswerFromBudget: true });
    expect(audit.findings.map((finding) => finding.code)).toEqual(['THINKING_ANSWER_EMPTY']);
  });

  it('Ollama think levels change how long the model thinks but do not bound it', async () => {
    const server = await start();
    const client = new Ollama({ host: server.url });
    const thinkingWords = async (think: boolean | 'low' | 'medium' | 'high'): Promise<number> => {
      const response = await client.chat({ model: 'gpt-oss:20b', messages: [{ role: 'user', content: 'What is 2+3? [gold:5]' }], think, stream: false, options: { seed: 4 } });
      expect(response.message.content).toMatch(/^The answer is \\boxed\{\d+\}\.$/);
      return (response.message.thinking ?? '').split(/\s+/).filter((word) => word !== '').length;
    };
    const off = await thinkingWords(false);
    const low = await thinkingWords('low');
    const medium = await thinkingWords('medium');
    const high = await thinkingWords('high');
    expect(off).toBe(0);
    expect(low).toBeLessThan(medium);
    expect(medium).toBeLessThan(high);
    expect(server.requests.map((request) => request.body['think'])).toEqual([false, 'low', 'medium', 'high']);
  });
});
