/**
 * Outcome reward model served by vLLM (`vllm serve <reward model>`, pooling runner), over three of
 * the routes vLLM's OpenAI-compatible server exposes for pooling models:
 *
 * - `pooling` (default): POST /pooling with chat `messages` (question as the user turn, candidate
 *   as the assistant turn) so the server applies the reward model's chat template. vLLM answers a
 *   PoolingResponse `{ data: [{ index, object: "pooling", data }], usage }` where `data` is one
 *   vector (sequence pooling, e.g. `--override-pooler-config '{"pooling_type":"LAST"}'`) or one
 *   vector per token (ALL pooling, the default of `Qwen2ForRewardModel`): the outcome reward is the
 *   last token's value. See docs.vllm.ai "Pooling Models" / "Reward Usages" and the
 *   examples/pooling/pooling/openai_pooling_client.py client; the wire types are
 *   `PoolingResponse`/`PoolingResponseData` in vllm/entrypoints/openai/protocol.py.
 * - `classify`: POST /classify `{ model, input }` for sequence-classification reward models
 *   (e.g. Skywork-Reward-V2 served with `--convert classify`); answer
 *   `{ data: [{ index, label, probs, num_classes }], usage }` (`ClassificationResponse`).
 * - `score`: POST /score `{ model, text_1: question, text_2: candidate }` for cross-encoder style
 *   models; answer `{ data: [{ index, object: "score", score }], usage }` (`ScoreResponse`).
 *
 * The prompt tokens vLLM reports are the verification compute of the sample.
 */
import { z } from 'zod';
import { ProviderError } from '../../core/errors.ts';
import { malformedResponse, safeEndpoint, type ErrorContext } from '../../providers/errors-shared.ts';
import { estimateTokens } from '../../providers/usage-shared.ts';
import type { ScoreScale, ScoreUsage } from '../score-log.ts';
import { fillTemplate, postJson } from './http-shared.ts';
import type { ScoreCandidate, ScoreOutcome, Scorer } from './types.ts';

/** The vLLM routes a reward model can be scored through. */
export const VLLM_REWARD_APIS = ['pooling', 'classify', 'score'] as const;

/** One of VLLM_REWARD_APIS. */
export type VllmRewardApi = (typeof VLLM_REWARD_APIS)[number];

/** Settings of a vLLM reward-model scorer. */
export interface VllmRewardScorerOptions {
  /** Base URL of the vLLM server, e.g. `http://127.0.0.1:8000` (a trailing `/v1` is ignored: the pooling routes live at the root). */
  endpoint: string;
  /** Model name as the server knows it. */
  model: string;
  /** Route to call. Default `pooling`. */
  api?: VllmRewardApi;
  /**
   * Which element of the returned vector is the reward: a class index (`classify`: the "correct"
   * class; `pooling` with two labels, e.g. a process reward model: the positive label). Default:
   * the last element (the only one for a single-output reward head).
   */
  labelIndex?: number;
  /** System message of the `pooling` conversation (default none). */
  systemPrompt?: string;
  /** Text sent to `classify`, with `{question}` and `{solution}` (default `{question}\n\n{solution}`). */
  template?: string;
  /** How to read the score. Default: `logit` for `pooling` (a raw reward), `probability` for `classify` and `score`. */
  scale?: ScoreScale;
  /** Scorer id written in score records. Default `reward:<model>`. */
  id?: string;
  /** Legend label. Default `reward model`. */
  label?: string;
}

/** What the vLLM reward scorer needs from outside. */
export interface VllmRewardScorerDependencies {
  /** fetch used for every call (default: the global fetch). */
  fetch?: typeof fetch;
  /** Bearer token (`--api-key` of vllm serve), read from the environment by the caller; never logged. */
  apiKey?: string;
  /** Name of the environment variable the key came from, for hints. */
  apiKeyEnv?: string;
}

const usageSchema = z.object({ prompt_tokens: z.number().int().nonnegative() }).nullish();
const vectorSchema = z.union([z.array(z.number()), z.array(z.array(z.number()))]);
const poolingResponseSchema = z.object({
  model: z.string().optional(),
  data: z.array(z.object({ index: z.number().int().optional(), data: vectorSchema })).min(1),
  usage: usageSchema,
});
const classifyResponseSchema = z.object({
  model: z.string().optional(),
  data: z.array(z.object({ index: z.number().int().optional(), label: z.string().nullish(), probs: z.array(z.number()).min(1) })).min(1),
  usage: usageSchema,
});
const scoreResponseSchema = z.object({
  model: z.string().optional(),
  data: z.array(z.object({ index: z.number().int().optional(), score: z.number() })).min(1),
  usage: usageSchema,
});

/** The element `labelIndex` (default the last) of a vector; undefined when out of range. */
function pick(vector: ReadonlyArray<number>, labelIndex: number | undefined): number | undefined {
  return vector[labelIndex ?? vector.length - 1];
}

/** Builds a scorer calling a vLLM-served reward model. */
export function createVllmRewardScorer(options: VllmRewardScorerOptions, deps: VllmRewardScorerDependencies = {}): Scorer {
  const fetchFunction = deps.fetch ?? fetch;
  const api = options.api ?? 'pooling';
  const base = options.endpoint.replace(/\/+$/, '').replace(/\/v1$/, '');
  const scale: ScoreScale = options.scale ?? (api === 'pooling' ? 'logit' : 'probability');
  const headers: Record<string, string> = deps.apiKey === undefined ? {} : { authorization: `Bearer ${deps.apiKey}` };
  const context: ErrorContext = {
    provider: 'vllm reward model',
    model: options.model,
    endpoint: base,
    ...(deps.apiKeyEnv === undefined ? {} : { apiKeyEnv: deps.apiKeyEnv }),
    secrets: deps.apiKey === undefined ? [] : [deps.apiKey],
    notFoundHint: `Check that ${safeEndpoint(base)} runs vLLM with a pooling model named ${options.model} (\`vllm serve <model> --runner pooling\`) and serves /${api}.`,
  };

  function usageOf(reported: { prompt_tokens: number } | null | undefined, text: string): ScoreUsage {
    if (reported === undefined || reported === null) return { promptTokens: estimateTokens(text), completionTokens: 0, estimated: true };
    return { promptTokens: reported.prompt_tokens, completionTokens: 0 };
  }

  function reward(value: number | undefined, what: string): number {
    if (value === undefined || !Number.isFinite(value)) {
      throw new ProviderError('REWARD_OUTPUT_INVALID', `vllm reward model ${options.model}: no reward at label index ${options.labelIndex ?? 'last'} in ${what}`, {
        retryable: false,
        endpoint: safeEndpoint(base),
        hint: 'Set `labelIndex` to the output element that means "correct" (0-based), or check the route (`api: pooling | classify | score`).',
      });
    }
    return value;
  }

  async function score(candidate: ScoreCandidate, signal: AbortSignal): Promise<ScoreOutcome> {
    const values = { question: candidate.question, solution: candidate.solution };
    if (api === 'pooling') {
      const messages = [
        ...(options.systemPrompt === undefined ? [] : [{ role: 'system', content: options.systemPrompt }]),
        { role: 'user', content: candidate.question },
        { role: 'assistant', content: candidate.solution },
      ];
      const raw = await postJson(fetchFunction, `${base}/pooling`, { model: options.model, messages }, headers, signal, context);
      const parsed = poolingResponseSchema.safeParse(raw);
      if (!parsed.success) throw malformedResponse(`not a pooling response (${parsed.error.issues[0]?.message ?? 'invalid'})`, context);
      const output = parsed.data.data[0]?.data ?? [];
      // ALL pooling returns one row per token: the outcome reward sits on the last token.
      const row = output.length > 0 && Array.isArray(output[0]) ? ((output as number[][])[output.length - 1] ?? []) : (output as number[]);
      const value = reward(pick(row, options.labelIndex), 'the pooling output');
      return outcome(value, usageOf(parsed.data.usage, `${candidate.question}${candidate.solution}`), parsed.data.model);
    }
    if (api === 'classify') {
      const input = fillTemplate(options.template ?? '{question}\n\n{solution}', values);
      const raw = await postJson(fetchFunction, `${base}/classify`, { model: options.model, input: [input] }, headers, signal, context);
      const parsed = classifyResponseSchema.safeParse(raw);
      if (!parsed.success) throw malformedResponse(`not a classification response (${parsed.error.issues[0]?.message ?? 'invalid'})`, context);
      const value = reward(pick(parsed.data.data[0]?.probs ?? [], options.labelIndex), 'the class probabilities');
      return outcome(value, usageOf(parsed.data.usage, input), parsed.data.model);
    }
    const raw = await postJson(fetchFunction, `${base}/score`, { model: options.model, text_1: candidate.question, text_2: candidate.solution }, headers, signal, context);
    const parsed = scoreResponseSchema.safeParse(raw);
    if (!parsed.success) throw malformedResponse(`not a score response (${parsed.error.issues[0]?.message ?? 'invalid'})`, context);
    const value = reward(parsed.data.data[0]?.score, 'the score response');
    return outcome(value, usageOf(parsed.data.usage, `${candidate.question}${candidate.solution}`), parsed.data.model);
  }

  function outcome(value: number, usage: ScoreUsage, modelName: string | undefined): ScoreOutcome {
    return modelName === undefined ? { score: value, scale, usage } : { score: value, scale, usage, modelName };
  }

  return {
    id: options.id ?? `reward:${options.model}`,
    kind: 'reward-model',
    label: options.label ?? 'reward model',
    simulated: false,
    score,
  };
}
