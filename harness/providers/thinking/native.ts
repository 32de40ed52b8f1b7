/**
 * Native thinking knobs of the servers, and the rule that picks a strategy per model and budget.
 *
 * - `native-vllm`: vLLM's `thinking_token_budget` request field (a hard cap, enforced by the
 *   server only when it runs with a reasoning parser for the model); the total limit is
 *   budget + answer tokens.
 * - `reasoning-effort`: `reasoning_effort` low/medium/high (OpenAI reasoning models, gpt-oss on
 *   vLLM/SGLang/Ollama-compatible servers): a coarse level, not a token count.
 * - `ollama-think`: Ollama's `think` (false, true, or 'low'|'medium'|'high' for models that take
 *   levels, such as gpt-oss): on/off or a level, never a token budget.
 */
import { ConfigError } from '../../core/errors.ts';
import { thinkingFamilyFor } from './delimiters.ts';
import type { ThinkingStrategy } from './thinking-config.ts';
import type { Completion } from '../types.ts';

/** Strategies that map a budget onto request fields. */
export type NativeThinkingStrategy = 'native-vllm' | 'reasoning-effort' | 'ollama-think';

/** A reasoning level of `reasoning_effort` and Ollama's `think`. */
export type ReasoningEffort = 'low' | 'medium' | 'high';

/** Budget thresholds of the levels: budget ≤ low → `low`, ≤ medium → `medium`, else `high`. */
export interface EffortThresholds {
  /** Largest budget mapped to `low`, tokens. */
  low: number;
  /** Largest budget mapped to `medium`, tokens. */
  medium: number;
}

/**
 * Default thresholds, tokens: budgets up to 1024 → `low`, up to 4096 → `medium`, above → `high`.
 * A convention placed around the budgets vLLM's reasoning config gives the levels (1024, 2048,
 * 8192), not a measurement: a level is a hint to the model, whose realised thinking varies.
 */
export const defaultEffortThresholds: EffortThresholds = { low: 1024, medium: 4096 };

/** The reasoning level for a budget (0 → `low`: the lowest level; levels cannot switch thinking off). */
export function effortForBudget(budget: number, thresholds: EffortThresholds = defaultEffortThresholds): ReasoningEffort {
  if (budget <= thresholds.low) return 'low';
  if (budget <= thresholds.medium) return 'medium';
  return 'high';
}

/** Options of nativeThinkingParams. */
export interface NativeThinkingOptions {
  /** Tokens allowed for the answer after the thinking; the request's total limit is budget + this. */
  answerMaxTokens: number;
  /** Level thresholds (default defaultEffortThresholds). */
  effortThresholds?: EffortThresholds;
  /** Ollama: send levels ('low'|'medium'|'high') instead of `true` (default: only for the gpt-oss family, which takes levels). */
  ollamaLevels?: boolean;
}

/** What a native strategy adds to a request. */
export interface NativeThinkingParams {
  /** The strategy the fields implement. */
  strategy: NativeThinkingStrategy;
  /** Top-level JSON fields to merge into the request body (wire spelling). */
  fields: Record<string, unknown>;
  /** Total completion-token limit to send in the provider's own field (`max_tokens`, `max_completion_tokens`, `num_predict`): budget + answer tokens. */
  maxTokens: number;
  /** What the server promises: a token cap, a coarse level, or thinking on/off only. */
  guarantee: 'token-cap' | 'level' | 'on-off';
}

/**
 * The request fields for a thinking budget under a native strategy. Budget 0 means no thinking:
 * `thinking_token_budget: 0`, Ollama `think: false`; `reasoning_effort` has no off, so it sends
 * `low`. Throws ConfigError for a negative or fractional budget.
 */
export function nativeThinkingParams(strategy: NativeThinkingStrategy, budget: number, options: NativeThinkingOptions): NativeThinkingParams {
  if (!Number.isInteger(budget) || budget < 0) {
    throw new ConfigError('THINKING_BUDGET_INVALID', `thinking budget ${budget} is not a whole number ≥ 0`, { hint: 'Fix `sampling.thinkingBudgets` in the config.' });
  }
  const thresholds = options.effortThresholds ?? defaultEffortThresholds;
  const maxTokens = budget + options.answerMaxTokens;
  switch (strategy) {
    case 'native-vllm':
      return { strategy, fields: { thinking_token_budget: budget }, maxTokens, guarantee: 'token-cap' };
    case 'reasoning-effort':
      return { strategy, fields: { reasoning_effort: effortForBudget(budget, thresholds) }, maxTokens, guarantee: 'level' };
    case 'ollama-think': {
      if (budget === 0) return { strategy, fields: { think: false }, maxTokens, guarantee: 'on-off' };
      const levels = options.ollamaLevels ?? false;
      return levels
        ? { strategy, fields: { think: effortForBudget(budget, thresholds) }, maxTokens, guarantee: 'level' }
        : { strategy, fields: { think: true }, maxTokens, guarantee: 'on-off' };
    }
  }
}

/** What chooseThinkingStrategy looks at; a `models:` entry fits it. */
export interface ThinkingModelInfo {
  /** Provider kind (`ollama`, `openai`, `huggingface`, `llama-cpp`, `sim`). */
  provider: string;
  /** Model name the server knows. */
  model?: string | undefined;
  /** API of the provider (`chat`, `generate`, `completions`). */
  api?: string | undefined;
  /** The `thinking:` block (proposed), when set. */
  thinking?: { strategy?: 'auto' | ThinkingStrategy | undefined; family?: string | undefined } | undefined;
}

/** OpenAI's own reasoning models, which take `reasoning_effort`. */
const openaiReasoningModel = /^(o\d|gpt-5)/;

/**
 * Chooses how a thinking budget is applied to a model. The rule:
 * 1. `thinking.strategy` other than `auto` wins.
 * 2. `sim` → `none` (the simulation applies the budget itself); `llama-cpp` → `budget-forcing`.
 * 3. A model of a known thinking family (name or `thinking.family`):
 *    Ollama → `budget-forcing` (over /api/generate raw: the only exact token budget on Ollama);
 *    OpenAI-compatible `completions` → `budget-forcing`; `chat` → `reasoning-effort` for gpt-oss,
 *    else `native-vllm`; Hugging Face → `reasoning-effort` for gpt-oss, else `none`.
 * 4. OpenAI's o-series and gpt-5 names → `reasoning-effort`.
 * 5. Any other model: budget 0 → `none`; Ollama → `ollama-think` (the server knows whether the
 *    model thinks); else `none`.
 */
export function chooseThinkingStrategy(model: ThinkingModelInfo, budget: number): ThinkingStrategy {
  const configured = model.thinking?.strategy;
  if (configured !== undefined && configured !== 'auto') return configured;
  if (model.provider === 'sim') return 'none';
  if (model.provider === 'llama-cpp') return 'budget-forcing';
  const name = model.model ?? '';
  const family = model.thinking?.family ?? thinkingFamilyFor(name)?.id;
  if (family !== undefined) {
    switch (model.provider) {
      case 'ollama':
        return 'budget-forcing';
      case 'openai':
        if (model.api === 'completions') return 'budget-forcing';
        return family === 'gpt-oss' ? 'reasoning-effort' : 'native-vllm';
      case 'huggingface':
        return family === 'gpt-oss' ? 'reasoning-effort' : 'none';
      default:
        return 'none';
    }
  }
  if ((model.provider === 'openai' || model.provider === 'huggingface') && openaiReasoningModel.test(name.toLowerCase())) return 'reasoning-effort';
  if (budget === 0) return 'none';
  return model.provider === 'ollama' ? 'ollama-think' : 'none';
}

/**
 * Records on a sample how its thinking budget was applied (strategy) and whether the realised
 * thinking reached it; samples with no budget and no strategy get nothing.
 */
export function recordThinkingBudget(completion: Completion, budget: number, strategy: ThinkingStrategy): void {
  if (budget === 0 && strategy === 'none') return;
  completion.thinkingBudget = { requested: budget, strategy, hit: budget > 0 && completion.usage.thinkingTokens >= budget };
}
