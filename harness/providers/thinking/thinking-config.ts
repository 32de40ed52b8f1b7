/**
 * The `thinking:` block of a model entry (proposed for harness/config/model-schema.ts): which
 * thinking-budget strategy to use and the knobs of budget forcing. Every field is optional; the
 * defaults below apply.
 */
import { z } from 'zod';

/** How a thinking budget is applied to a request. */
export const thinkingStrategies = ['none', 'budget-forcing', 'native-vllm', 'reasoning-effort', 'ollama-think'] as const;

/** A thinking-budget strategy (see chooseThinkingStrategy for what each does). */
export type ThinkingStrategy = (typeof thinkingStrategies)[number];

/** The `thinking:` block of a model entry. */
export const thinkingConfigSchema = z
  .object({
    /** Strategy; `auto` (default) chooses from the provider, the API and the model family. */
    strategy: z.enum(['auto', ...thinkingStrategies]).default('auto'),
    /** Thinking family (delimiters and raw chat template) when the model name does not reveal it, e.g. `qwen3`. */
    family: z.string().min(1).optional(),
    /** Thinking delimiters, overriding the family's. */
    delimiters: z.object({ open: z.string().min(1), close: z.string().min(1), answerPrefix: z.string().optional() }).strict().optional(),
    /** Raw chat template for budget forcing: a built-in id (`chatml`, `deepseek-r1`, `llama-3`, `harmony`, `s1`) or a string with `{prompt}` (and `{system}`). */
    template: z.string().min(1).optional(),
    /** Cue appended after a thinking block the harness closed (default `Final Answer:`). */
    answerCue: z.string().default('Final Answer:'),
    /** Token limit of the answer after the thinking (default: `sampling.maxTokens`). */
    answerMaxTokens: z.number().int().positive().optional(),
    /** Text appended to make the model think on when it stops early (default `Wait`). */
    waitToken: z.string().min(1).default('Wait'),
    /** Most "Wait" extensions per sample while budget remains (default 0: none). */
    maxWaits: z.number().int().nonnegative().default(0),
    /** Suppress the end of thinking until this many thinking tokens were generated (default 0). */
    minThinkingTokens: z.number().int().nonnegative().default(0),
    /** Budget thresholds of `reasoning_effort` / Ollama `think` levels: budget ≤ low → `low`, ≤ medium → `medium`, else `high`. */
    effortThresholds: z
      .object({ low: z.number().int().positive(), medium: z.number().int().positive() })
      .strict()
      .refine((value) => value.low < value.medium, { message: '`low` must be below `medium`' })
      .optional(),
  })
  .strict();

/** The `thinking:` block as resolved (defaults filled). */
export type ThinkingConfig = z.output<typeof thinkingConfigSchema>;
/** The `thinking:` block as users write it. */
export type ThinkingConfigInput = z.input<typeof thinkingConfigSchema>;
