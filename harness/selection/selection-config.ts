/**
 * The `selection:` block of an experiment config (one scorer, or a list) and the factory that turns
 * one entry into a Scorer. Proposed for the main config schema as `selection: selectionConfigSchema.optional()`;
 * secrets never appear here: `apiKeyEnv` names the variable, and the caller (resolveConfig / the
 * run command) reads it and passes the key in.
 */
import { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { findSimProfile } from '../providers/sim/sim-profiles.ts';
import type { Provider } from '../providers/types.ts';
import { createRecordedScorer, loadRecordedScores, readQwenMathScores } from './recorded-scores.ts';
import { createHuggingFaceRewardScorer } from './scorers/huggingface-reward.ts';
import { createJudgeScorer } from './scorers/judge.ts';
import { createSimulatedVerifier } from './scorers/simulated-verifier.ts';
import type { Scorer } from './scorers/types.ts';
import { createVllmRewardScorer, VLLM_REWARD_APIS } from './scorers/vllm-reward.ts';

const scorerId = z.string().min(1).regex(/^[A-Za-z0-9._:@/+-]+$/, 'use letters, digits and . _ : @ / + - only');

/** A reward model served over HTTP (vLLM pooling routes, or a Hugging Face text-classification endpoint). */
export const rewardModelSelectionSchema = z
  .object({
    method: z.literal('reward-model'),
    /** `vllm` (a vLLM pooling server) or `huggingface` (a text-classification Inference Endpoint). */
    backend: z.enum(['vllm', 'huggingface']).default('vllm'),
    /** vLLM: the server's base URL; huggingface: the endpoint URL. */
    endpoint: z.string().url(),
    /** Model name (vLLM: as served; huggingface: the Hub id, for labels). */
    model: z.string().min(1),
    /** vLLM route: `pooling` (default), `classify` or `score`. */
    api: z.enum(VLLM_REWARD_APIS).default('pooling'),
    /** vLLM: output element that is the reward (default the last). */
    labelIndex: z.number().int().nonnegative().optional(),
    /** huggingface: label whose score is the reward (default LABEL_1). */
    positiveLabel: z.string().optional(),
    /** huggingface: `parameters.top_k` to send. */
    topK: z.number().int().positive().optional(),
    /** huggingface: `parameters.function_to_apply` to send. */
    functionToApply: z.enum(['sigmoid', 'softmax', 'none']).optional(),
    /** Text scored by classify / text-classification, with `{question}` and `{solution}`. */
    template: z.string().optional(),
    /** vLLM pooling: system message of the scored conversation. */
    systemPrompt: z.string().optional(),
    /** How to read the scores (default: logit for vLLM pooling, else probability). */
    scale: z.enum(['probability', 'logit']).optional(),
    /** Environment variable holding the API key / HF token (never the key itself). */
    apiKeyEnv: z.string().optional(),
    /** Scorer id in scores.jsonl (default `reward:<model>`). */
    id: scorerId.optional(),
  })
  .strict();

/** Self-verification by a judge model (default: each cell's own model). */
export const judgeSelectionSchema = z
  .object({
    method: z.literal('judge'),
    /** Id of a `models:` entry that judges (default: the cell's sampling model itself). */
    judge: z.string().optional(),
    /** Judge prompt with `{question}` and `{solution}` (default: asks for "Verdict: Yes/No"). */
    prompt: z.string().optional(),
    /** System message of the judge. */
    systemPrompt: z.string().optional(),
    /** Judge replies (votes) per candidate. */
    samplesPerCandidate: z.number().int().positive().default(1),
    /** Judge temperature (default 0 for one vote, 0.7 for several). */
    temperature: z.number().nonnegative().optional(),
    /** Token limit of one judge reply. */
    maxTokens: z.number().int().positive().default(512),
    /** Scorer id in scores.jsonl (default `judge:<model>`). */
    id: scorerId.optional(),
  })
  .strict();

/** The simulated verifier (sim models only; labelled simulated). */
export const simulatedSelectionSchema = z
  .object({
    method: z.literal('simulated'),
    /** P(judged right); default: the sim profile's `verifierAccuracy`. */
    accuracy: z.number().gt(0.5).lt(1).optional(),
    /** Scorer id in scores.jsonl (default `simulated:<profile>`). */
    id: scorerId.optional(),
  })
  .strict();

/** Scores recorded in a file beside imported samples. */
export const recordedSelectionSchema = z
  .object({
    method: z.literal('recorded'),
    /** The file holding the scores (e.g. a Qwen2.5-Math evaluation output with `pred_score`). */
    path: z.string().min(1),
    /** Layout of the file. */
    format: z.literal('qwen-math').default('qwen-math'),
    /** How to read the scores. */
    scale: z.enum(['probability', 'logit']).default('logit'),
    /** Scorer id in scores.jsonl (default `recorded`). */
    id: scorerId.optional(),
  })
  .strict();

/** One `selection:` entry. */
export const selectionEntrySchema = z.discriminatedUnion('method', [rewardModelSelectionSchema, judgeSelectionSchema, simulatedSelectionSchema, recordedSelectionSchema]);

/** The `selection:` block: one entry or a list of them. */
export const selectionConfigSchema = z.union([selectionEntrySchema, z.array(selectionEntrySchema).min(1)]);

/** One resolved `selection:` entry. */
export type SelectionEntry = z.output<typeof selectionEntrySchema>;

/** What building a scorer from a config entry needs from outside. */
export interface ScorerContext {
  /** The API key / token named by `apiKeyEnv`, read by the caller. */
  apiKey?: string;
  /** fetch for HTTP scorers (default: the global fetch). */
  fetch?: typeof fetch;
  /** Judge: the provider that judges (the cell's own, or the `judge:` model's). */
  judgeProvider?: Provider;
  /** Judge: its endpoint ('' for providers without one). */
  judgeEndpoint?: string;
  /** Judge: its model label. */
  judgeModel?: string;
  /** Simulated: the sim profile of the cell's model (for the default accuracy). */
  simProfile?: string;
  /** Seed of the judge's and the simulated verifier's randomness (the run's seed). */
  seed?: number;
}

/**
 * Builds the scorer of one `selection:` entry.
 *
 * @throws ConfigError `SELECTION_CONTEXT_MISSING` when a judge has no provider or a simulated
 *   verifier has neither `accuracy` nor a sim profile
 */
export async function createScorerFromConfig(entry: SelectionEntry, context: ScorerContext = {}): Promise<Scorer> {
  const http = {
    ...(context.apiKey === undefined ? {} : { apiKey: context.apiKey }),
    ...(context.fetch === undefined ? {} : { fetch: context.fetch }),
  };
  switch (entry.method) {
    case 'reward-model': {
      const common = { model: entry.model, ...(entry.id === undefined ? {} : { id: entry.id }), ...(entry.template === undefined ? {} : { template: entry.template }), ...(entry.scale === undefined ? {} : { scale: entry.scale }) };
      const keyEnv = entry.apiKeyEnv === undefined ? {} : { apiKeyEnv: entry.apiKeyEnv };
      if (entry.backend === 'huggingface') {
        return createHuggingFaceRewardScorer(
          {
            ...common,
            endpointUrl: entry.endpoint,
            ...(entry.positiveLabel === undefined ? {} : { positiveLabel: entry.positiveLabel }),
            ...(entry.topK === undefined ? {} : { topK: entry.topK }),
            ...(entry.functionToApply === undefined ? {} : { functionToApply: entry.functionToApply }),
          },
          { ...http, ...keyEnv },
        );
      }
      return createVllmRewardScorer(
        {
          ...common,
          endpoint: entry.endpoint,
          api: entry.api,
          ...(entry.labelIndex === undefined ? {} : { labelIndex: entry.labelIndex }),
          ...(entry.systemPrompt === undefined ? {} : { systemPrompt: entry.systemPrompt }),
        },
        { ...http, ...keyEnv },
      );
    }
    case 'judge': {
      if (context.judgeProvider === undefined) {
        throw new ConfigError('SELECTION_CONTEXT_MISSING', 'a judge scorer needs the provider of the judging model', {
          hint: 'Set `judge:` to the id of a `models:` entry, or leave it out to let each cell judge its own samples.',
        });
      }
      return createJudgeScorer({
        provider: context.judgeProvider,
        endpoint: context.judgeEndpoint ?? '',
        model: context.judgeModel ?? entry.judge ?? 'judge',
        samplesPerCandidate: entry.samplesPerCandidate,
        maxTokens: entry.maxTokens,
        ...(entry.prompt === undefined ? {} : { prompt: entry.prompt }),
        ...(entry.systemPrompt === undefined ? {} : { systemPrompt: entry.systemPrompt }),
        ...(entry.temperature === undefined ? {} : { temperature: entry.temperature }),
        ...(context.seed === undefined ? {} : { seed: context.seed }),
        ...(entry.id === undefined ? {} : { id: entry.id }),
      });
    }
    case 'simulated': {
      const profile = context.simProfile === undefined ? undefined : findSimProfile(context.simProfile);
      const accuracy = entry.accuracy ?? profile?.verifierAccuracy;
      if (accuracy === undefined) {
        throw new ConfigError('SELECTION_CONTEXT_MISSING', 'the simulated verifier needs an accuracy', {
          hint: 'Use it with a `provider: sim` model (its profile sets the accuracy) or set `accuracy:` (e.g. 0.75).',
        });
      }
      return createSimulatedVerifier({
        accuracy,
        ...(context.seed === undefined ? {} : { seed: context.seed }),
        id: entry.id ?? 'simulated',
      });
    }
    case 'recorded':
      return createRecordedScorer({
        scores: await loadRecordedScores(readQwenMathScores(entry.path)),
        scale: entry.scale,
        ...(entry.id === undefined ? {} : { id: entry.id }),
      });
  }
}
