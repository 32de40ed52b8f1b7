/**
 * One budget-forced sample end to end, for providers: render the prompt with the model's raw chat
 * template, run budget forcing over a raw port, and return a Completion with usage and the budget
 * bookkeeping.
 */
import type { Completion, PromptInput } from '../types.ts';
import { forceBudget, type BudgetForcingResult, type RawComplete } from './budget-forcing.ts';
import { thinkingDelimitersFor, thinkingFamilies, type ThinkingDelimiters } from './delimiters.ts';
import { chatTemplateFor, renderChatPrompt } from './templates.ts';

/** Thinking settings of a model that budget forcing uses (the `thinking:` block; all optional). */
export interface BudgetForcingSettings {
  /** Thinking family id overriding the one found from the model name. */
  family?: string | undefined;
  /** Explicit delimiters (win over `family`). */
  delimiters?: { open: string; close: string; answerPrefix?: string | undefined } | undefined;
  /** Raw chat template: built-in id or a string with `{prompt}`. Default: the family's. */
  template?: string | undefined;
  /** Answer cue (default `Final Answer:`). */
  answerCue?: string | undefined;
  /** Wait token (default `Wait`). */
  waitToken?: string | undefined;
  /** Most waits per sample (default 0). */
  maxWaits?: number | undefined;
  /** Minimum thinking tokens before the model may close its thinking (default 0). */
  minThinkingTokens?: number | undefined;
}

/** A raw prompt ready for budget forcing, and the delimiters it uses. */
export interface RawThinkingPrompt {
  /** Templated text ending inside the open thinking block. */
  prompt: string;
  /** The model's thinking delimiters. */
  delimiters: ThinkingDelimiters;
}

/**
 * The raw prompt of a request for budget forcing. Chat messages are rendered with the model's
 * template (or `settings.template`). A text prompt is used as is when it already ends with the
 * opening delimiter (it is templated), else it is rendered as one user message.
 */
export function rawThinkingPrompt(prompt: PromptInput, modelName: string, settings: BudgetForcingSettings = {}): RawThinkingPrompt {
  const delimiters = thinkingDelimitersFor(modelName, settings.delimiters ?? settings.family);
  const familyTemplate = settings.template ?? thinkingFamilies.find((family) => family.id === settings.family)?.template;
  const template = chatTemplateFor(modelName, familyTemplate);
  if (prompt.kind === 'text') {
    if (prompt.text.trimEnd().endsWith(delimiters.open.trimEnd())) return { prompt: prompt.text, delimiters };
    return { prompt: renderChatPrompt([{ role: 'user', content: prompt.text }], template), delimiters };
  }
  return { prompt: renderChatPrompt(prompt.messages, template), delimiters };
}

/**
 * A Completion from a budget-forcing result: the answer as text, the thinking apart, usage with
 * prompt tokens summed over every call (the real prefill cost of the continuations), completion
 * tokens = thinking + answer, and the bookkeeping with strategy `budget-forcing`.
 */
export function budgetForcingCompletion(result: BudgetForcingResult, requested: number): Completion {
  const completion: Completion = {
    text: result.answer,
    usage: {
      promptTokens: result.promptTokens,
      completionTokens: result.thinkingTokens + result.answerTokens,
      thinkingTokens: result.thinkingTokens,
      ...(result.usageEstimated ? { estimated: true } : {}),
    },
    finishReason: result.finishReason,
    thinkingBudget: { requested, strategy: 'budget-forcing', hit: result.hit, forcedAnswer: result.forcedAnswer, waits: result.waits },
  };
  if (result.thinking !== '') completion.thinking = result.thinking;
  return completion;
}

/** One budget-forced sample. */
export interface BudgetForcedRequest {
  /** The request's prompt (chat messages or text). */
  prompt: PromptInput;
  /** Model name (picks the family's delimiters and template). */
  modelName: string;
  /** Thinking-token budget. */
  budget: number;
  /** Token limit of the answer after the thinking. */
  answerMaxTokens: number;
  /** The sample's seed. */
  seed: number;
  /** Cancels every call. */
  signal: AbortSignal;
  /** Stop strings of the answer (the run's `stop`). */
  stop?: string[];
  /** The model's thinking settings. */
  settings?: BudgetForcingSettings | undefined;
}

/** Runs budget forcing for one sample over a raw port and returns it as a Completion. */
export async function budgetForcedCompletion(port: RawComplete, request: BudgetForcedRequest): Promise<Completion> {
  const settings = request.settings ?? {};
  const raw = rawThinkingPrompt(request.prompt, request.modelName, settings);
  const result = await forceBudget(port, {
    prompt: raw.prompt,
    delimiters: raw.delimiters,
    budget: request.budget,
    answerMaxTokens: request.answerMaxTokens,
    seed: request.seed,
    signal: request.signal,
    ...(request.stop === undefined ? {} : { stop: request.stop }),
    ...(settings.answerCue === undefined ? {} : { answerCue: settings.answerCue }),
    ...(settings.waitToken === undefined ? {} : { waitToken: settings.waitToken }),
    ...(settings.maxWaits === undefined ? {} : { maxWaits: settings.maxWaits }),
    ...(settings.minThinkingTokens === undefined ? {} : { minThinkingTokens: settings.minThinkingTokens }),
  });
  return budgetForcingCompletion(result, request.budget);
}
