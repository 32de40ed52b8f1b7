/**
 * The experiment config: one strict zod schema. Types come from here, never written twice.
 * User config (what the YAML says) → `resolveConfig` → resolved config (every default filled).
 */
import { z } from 'zod';
import { modelSchema } from './model-schema.ts';
import { MAX_SAMPLES_PER_PROBLEM, MAX_SEED } from '../core/limits.ts';
import { defaultFunctionTimeLimits } from '../core/problem-time-limit.ts';
import { selectionConfigSchema } from '../selection/selection-config.ts';

export const datasetObjectSchema = z
  .object({
    /** Built-in dataset id (`math500`, `gsm8k`, ...) or a label for a user file. */
    id: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits and . _ - only'),
    /** A user dataset file (JSONL, or JSON array); relative paths are resolved against the config file. */
    path: z.string().optional(),
    /** Checker for a user file: math, gsm8k, code, stdio (stdin/stdout tests), exact. */
    verifier: z.enum(['math', 'gsm8k', 'code', 'stdio', 'exact']).optional(),
    /** Field names of a user file. */
    fields: z
      .object({
        id: z.string().optional(),
        question: z.string().default('question'),
        answer: z.string().default('answer'),
      })
      .strict()
      .optional(),
    /** Use the first N problems. */
    limit: z.number().int().positive().optional(),
    /** Use a seeded random subset of N problems (instead of `limit`). */
    sample: z.number().int().positive().optional(),
    /** Few-shot examples in the prompt (drawn with the run's seed). */
    fewShot: z.number().int().nonnegative().optional(),
    /** Prompt template; `{question}` is replaced by the problem. */
    template: z.string().optional(),
  })
  .strict()
  .refine((value) => value.limit === undefined || value.sample === undefined, {
    message: 'set `limit` or `sample`, not both',
  });

export const samplingSchema = z
  .object({
    /** Samples per problem (n, the largest k). */
    samples: z.number().int().positive().max(MAX_SAMPLES_PER_PROBLEM),
    /** The k values to report; default powers of two up to n, and n. */
    k: z.array(z.number().int().positive()).min(1).optional(),
    /** Sampling temperature(s); a list sweeps them. */
    temperature: z.union([z.number().nonnegative(), z.array(z.number().nonnegative()).min(1)]).default(0.6),
    /** Nucleus sampling. */
    topP: z.number().positive().max(1).optional(),
    /** Completion token limit per sample. */
    maxTokens: z.number().int().positive().default(1024),
    /** Thinking-token budgets to sweep (0 = no thinking). */
    thinkingBudgets: z.array(z.number().int().nonnegative()).min(1).default([0]),
    /** Stop sequences. */
    stop: z.array(z.string()).optional(),
  })
  .strict();

export const retrySchema = z
  .object({
    /** Attempts per request, first included. */
    attempts: z.number().int().positive().default(6),
    /** First backoff delay, milliseconds (doubles each attempt, with jitter). */
    baseDelayMs: z.number().nonnegative().default(500),
    /** Longest backoff delay and longest Retry-After honoured, milliseconds. */
    maxDelayMs: z.number().nonnegative().default(60_000),
    /** Per-request timeout, milliseconds. */
    timeoutMs: z.number().positive().default(300_000),
  })
  .strict();

export const computeOptimalSchema = z
  .object({
    /** Quantile bins of problem difficulty (bin 1 the easiest). */
    bins: z.number().int().min(1).max(20).default(5),
    /** `oracle`: pass@1 of the verified samples; `predicted`: mean score of the first selection scorer (no ground truth). */
    difficulty: z.enum(['oracle', 'predicted']).default('oracle'),
    /** Cross-validation folds over problems: the policy is chosen on folds − 1 and scored on the one left out. */
    folds: z.number().int().min(2).max(10).default(2),
    /** Repeats of the cross-validation over seeded random splits, averaged. */
    repeats: z.number().int().min(1).max(1000).default(10),
    /** Budgets per problem on the log-spaced grid. */
    budgets: z.number().int().min(1).max(50).default(8),
  })
  .strict();

export const reportSchema = z
  .object({
    /** Bootstrap resamples for 95% intervals. */
    bootstrapDraws: z.number().int().positive().default(1000),
    /** Compute axis for equal-compute comparison. */
    computeAxis: z.enum(['tokens', 'flops', 'dollars']).default('flops'),
    /** Monte Carlo draws of majority@k where the exact computation is too costly (seeded by the run's seed). */
    majorityDraws: z.number().int().positive().default(2000),
    /** The compute-optimal analysis (which strategy per difficulty and budget); `false` turns it off. */
    computeOptimal: z
      .union([z.literal(false), computeOptimalSchema])
      .default({ bins: 5, difficulty: 'oracle', folds: 2, repeats: 10, budgets: 8 }),
  })
  .strict();

/** The fixed wall-clock limit of a function-style code program, in milliseconds (human-eval's 3 s). */
export const DEFAULT_CODE_TIME_LIMIT_MS = 3000;

/**
 * Time limits of function-style code problems (`code` verifier: HumanEval, MBPP and their EvalPlus
 * versions). `fixed`: every program gets `timeLimitMs`. `reference`: each problem gets
 * `max(floorMs, factor × its reference solution's runtime)`, measured before sampling (cached),
 * `fallbackMs` without a passing reference; the limits are recorded in problems.jsonl.
 */
export const codeTimeLimitsSchema = z
  .object({
    /** `fixed` (default: comparable with published pass@k, no measuring) or `reference` (per problem). */
    mode: z.enum(['fixed', 'reference']).default('fixed'),
    /** `fixed` mode: the limit of every program, milliseconds (default 3000). */
    timeLimitMs: z.number().int().positive().default(DEFAULT_CODE_TIME_LIMIT_MS),
    /** `reference` mode: multiplier on the reference runtime (default 4, EvalPlus's). */
    factor: z.number().positive().default(defaultFunctionTimeLimits.factor),
    /** `reference` mode: smallest limit, milliseconds (default 1000). */
    floorMs: z.number().int().positive().default(defaultFunctionTimeLimits.floorMs),
    /** `reference` mode: limit of a problem without a passing reference solution, milliseconds (default 3000). */
    fallbackMs: z.number().int().positive().default(defaultFunctionTimeLimits.fallbackMs),
  })
  .strict();

/** codeTimeLimits with every default filled. */
export type CodeTimeLimitsConfig = z.output<typeof codeTimeLimitsSchema>;

/** The resolved codeTimeLimits of a config that does not set the key. */
export const defaultCodeTimeLimits: Readonly<CodeTimeLimitsConfig> = {
  mode: 'fixed',
  timeLimitMs: DEFAULT_CODE_TIME_LIMIT_MS,
  ...defaultFunctionTimeLimits,
};

/** The config as users write it. */
export const configSchema = z
  .object({
    /** Run name: results go to `<outputDir>/<name>/` (checked by `checkRunName`: one folder inside outputDir). */
    name: z.string().min(1),
    /** Base seed: sample i of a problem gets seed `seed + i`; at most MAX_SEED so that sum stays exact. */
    seed: z.number().int().nonnegative().max(MAX_SEED).default(1),
    /** Problem sets. */
    datasets: z.array(z.union([z.string().min(1), datasetObjectSchema])).min(1),
    /** Models to sample. */
    models: z.array(modelSchema).min(1),
    /** Sampling settings. */
    sampling: samplingSchema,
    /** Concurrent requests per endpoint (default 8). */
    concurrency: z.number().int().positive().default(8),
    /** Retries and timeouts. */
    retry: retrySchema.default({ attempts: 6, baseDelayMs: 500, maxDelayMs: 60_000, timeoutMs: 300_000 }),
    /** Fraction of failed samples (after retries) above which the run fails (exit 1). */
    maxErrorRate: z.number().min(0).max(1).default(0.05),
    /** Report settings. */
    report: reportSchema.default({
      bootstrapDraws: 1000,
      computeAxis: 'flops',
      majorityDraws: 2000,
      computeOptimal: { bins: 5, difficulty: 'oracle', folds: 2, repeats: 10, budgets: 8 },
    }),
    /** Where run folders go (default `reports`, relative to the working directory). */
    outputDir: z.string().optional(),
    /** Write a new run's sample log gzip-compressed, as samples.jsonl.gz (default false; see harness/store/README.md). */
    compressSamples: z.boolean().default(false),
    /** Time limits of function-style code programs: fixed, or per problem from the reference solution's runtime. */
    codeTimeLimits: codeTimeLimitsSchema.default({ ...defaultCodeTimeLimits }),
    /** Answer selection without the oracle: reward models, judges, simulated or recorded scores (one entry or a list). */
    selection: selectionConfigSchema.optional(),
  })
  .strict();

export type UserConfig = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type DatasetConfig = z.output<typeof datasetObjectSchema>;
