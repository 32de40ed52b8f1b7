import { hashSeed } from '../core/random.ts';
import { answerClasses } from './answer-classes.ts';
import { bootstrapInterval } from './bootstrap.ts';
import { majorityOfClasses, type MajorityOptions } from './majority-at-k.ts';
import { MetricsError, requireInteger } from './metrics-error.ts';
import { passAtK } from './pass-at-k.ts';
import { passHatK } from './pass-hat-k.ts';
import type { CellInfo, MetricRow, ProblemSamples } from './types.ts';

/** A k that no row was produced for, and why. */
export interface SkippedK {
  /** The k asked for. */
  k: number;
  /** Samples of the problem with the fewest (the largest valid k). */
  n: number;
  /** Problems with fewer than k samples (at most 10 listed). */
  problems: string[];
  /** Human-readable reason, e.g. `k = 256 > n = 250 (problem p7 and 3 more)`. */
  reason: string;
}

/** Options of `computeCellMetrics`. */
export interface CellMetricsOptions {
  /** Bootstrap resamples for the 95% intervals. */
  bootstrapDraws: number;
  /** Seed of the bootstrap and of Monte Carlo majority@k; per-problem seeds derive from it. */
  seed: number;
  /**
   * What to do with a k larger than some problem's n. Absent (default): throw `K_EXCEEDS_N`
   * naming every such k. Given: rows are produced for the valid k and each invalid k is passed here
   * (for an explicit "n/a" in the report); never dropped silently.
   */
  onSkippedK?: (skipped: SkippedK) => void;
  /** majority@k method options (draws, method); the seed is derived per problem and k from `seed`. */
  majority?: Omit<MajorityOptions, 'seed'>;
  /** Interval confidence. Default 0.95. */
  confidence?: number;
}

/**
 * The default k list for n samples per problem: powers of two and powers of ten up to n, and n
 * itself (n = 250 gives 1, 2, 4, 8, 10, 16, 32, 64, 100, 128, 250; n = 100 gives pass@10, the
 * number code papers quote).
 */
export function defaultKs(n: number): number[] {
  requireInteger('n', n, 1);
  const ks = new Set<number>([n]);
  for (let k = 1; k < n; k *= 2) ks.add(k);
  for (let k = 1; k < n; k *= 10) ks.add(k);
  return [...ks].sort((left, right) => left - right);
}

/** Splits `ks` into those every problem has enough samples for, and the others with the reason. */
export function partitionKs(
  problems: ReadonlyArray<ProblemSamples>,
  ks: ReadonlyArray<number>,
): { valid: number[]; skipped: SkippedK[] } {
  const smallestN = problems.reduce((smallest, problem) => Math.min(smallest, problem.correct.length), Number.POSITIVE_INFINITY);
  const n = Number.isFinite(smallestN) ? smallestN : 0;
  const valid: number[] = [];
  const skipped: SkippedK[] = [];
  for (const k of [...new Set(ks)].sort((left, right) => left - right)) {
    requireInteger('k', k, 1);
    if (k <= n) {
      valid.push(k);
      continue;
    }
    const short = problems.filter((problem) => problem.correct.length < k).map((problem) => problem.problem);
    const listed = short.slice(0, 10);
    const more = short.length > listed.length ? ` and ${short.length - listed.length} more` : '';
    const where = problems.length === 0 ? 'no problems' : `problem ${listed.join(', ')}${more}`;
    skipped.push({ k, n, problems: listed, reason: `k = ${k} > n = ${n} (${where})` });
  }
  return { valid, skipped };
}

/**
 * Metrics of one cell: one row per valid k, in increasing k, with coverage@k (pass@k) and
 * majority@k averaged over problems and their percentile-bootstrap intervals over problems (both
 * metrics resampled with the same seed, so the problems drawn are the same). Token means are over
 * all samples of the cell.
 *
 * @param ks the k to report (duplicates removed); see `defaultKs`
 * @throws MetricsError `K_EXCEEDS_N` when some k exceeds some problem's samples and no `onSkippedK`
 *   is given; `METRIC_NO_PROBLEMS` for a cell without problems
 */
export function computeCellMetrics(
  cell: CellInfo,
  problems: ReadonlyArray<ProblemSamples>,
  ks: ReadonlyArray<number>,
  options: CellMetricsOptions,
): MetricRow[] {
  if (problems.length === 0) {
    throw new MetricsError('METRIC_NO_PROBLEMS', `cell ${cell.id} has no problems to compute metrics over`, {
      hint: 'Check that the run sampled this cell and that its samples were stored.',
    });
  }
  const { valid, skipped } = partitionKs(problems, ks);
  if (skipped.length > 0) {
    if (options.onSkippedK === undefined) {
      throw new MetricsError(
        'K_EXCEEDS_N',
        `cell ${cell.id}: ${skipped.map((entry) => entry.reason).join('; ')}; valid k are 1..${skipped[0]?.n ?? 0}`,
        { hint: 'Lower the k list (sampling.k) to at most the samples per problem, or draw more samples.' },
      );
    }
    for (const entry of skipped) options.onSkippedK(entry);
  }
  const classes = problems.map((problem) => answerClasses(problem.answerKeys, problem.correct));
  const tokens = meanTokens(problems);
  const n = problems.reduce((smallest, problem) => Math.min(smallest, problem.correct.length), Number.POSITIVE_INFINITY);
  const interval = { draws: options.bootstrapDraws, seed: options.seed, ...(options.confidence === undefined ? {} : { confidence: options.confidence }) };
  const correctCounts = problems.map((problem) => countTrue(problem.correct));
  return valid.map((k) => {
    const coverage = problems.map((problem, index) => passAtK(problem.correct.length, correctCounts[index] ?? 0, k));
    const majority = problems.map((problem, index) => {
      const problemClasses = classes[index];
      if (problemClasses === undefined) return 0;
      return majorityOfClasses(problemClasses, k, { ...options.majority, seed: hashSeed(options.seed, problem.problem, k) });
    });
    return {
      cell,
      k,
      coverage: bootstrapInterval(coverage, interval),
      majority: bootstrapInterval(majority, interval),
      passHatK: bootstrapInterval(
        problems.map((problem, index) => passHatK(problem.correct.length, correctCounts[index] ?? 0, k)),
        interval,
      ),
      n,
      problems: problems.length,
      ...tokens,
    };
  });
}

function countTrue(values: ReadonlyArray<boolean>): number {
  let count = 0;
  for (const value of values) if (value) count += 1;
  return count;
}

/** Mean completion, thinking and prompt tokens per sample over all samples of the problems (0 when none). */
export function meanTokens(problems: ReadonlyArray<ProblemSamples>): {
  meanCompletionTokens: number;
  meanThinkingTokens: number;
  meanPromptTokens: number;
} {
  let samples = 0;
  let completion = 0;
  let thinking = 0;
  let prompt = 0;
  for (const problem of problems) {
    samples += problem.correct.length;
    for (const value of problem.completionTokens) completion += value;
    for (const value of problem.thinkingTokens) thinking += value;
    for (const value of problem.promptTokens) prompt += value;
  }
  const per = (total: number): number => (samples === 0 ? 0 : total / samples);
  return { meanCompletionTokens: per(completion), meanThinkingTokens: per(thinking), meanPromptTokens: per(prompt) };
}
