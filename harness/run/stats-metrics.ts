/**
 * The metrics of a cell from its problems' sufficient statistics (problem-stats.ts), with the
 * metrics stage's own estimators: pass@k, majority@k over answer classes, the bootstrap over
 * problems, the FLOPs formula. Problems are taken in order of their ids, so the result is a
 * function of the set of samples, not of the order of the log.
 */
import { hashSeed } from '../core/random.ts';
import type { AnswerClasses } from '../metrics/answer-classes.ts';
import { bootstrapInterval, flopsOfTokenRange, passAtK, type SkippedK } from '../metrics/index.ts';
import { majorityOfClasses, type MajorityOptions } from '../metrics/majority-at-k.ts';
import { passHatK } from '../metrics/pass-hat-k.ts';
import type { ComputeCost, ComputePoint } from '../metrics/compute-curves.ts';
import type { SolveRateBin } from '../metrics/solve-rates.ts';
import type { CellInfo, MetricRow } from '../metrics/types.ts';
import type { ProblemStats } from './problem-stats.ts';

/** Problems with at least one sample, in order of their ids. */
export function orderedProblems(problems: Iterable<ProblemStats>): ProblemStats[] {
  return [...problems].filter((stats) => stats.samples > 0).sort((a, b) => (a.problem < b.problem ? -1 : a.problem > b.problem ? 1 : 0));
}

/** Options of cellRowsFromStats. */
export interface StatsMetricsOptions {
  bootstrapDraws: number;
  seed: number;
  majority?: Omit<MajorityOptions, 'seed'>;
  /** Called for each k larger than some problem's samples (reported as n/a). */
  onSkippedK: (skipped: SkippedK) => void;
  /** Each problem's answer classes, in the order of `problems` (default: built here from the statistics). */
  classes?: ReadonlyArray<AnswerClasses>;
  /**
   * Filled with majority@k per valid k, one value per problem in the order of `problems` (before any
   * n/a), so the compute-optimal section reuses them instead of computing them again.
   */
  majorityOut?: Map<number, Float64Array>;
}

/** One metrics row per valid k (as computeCellMetrics), from ordered problem statistics. */
export function cellRowsFromStats(cell: CellInfo, problems: ReadonlyArray<ProblemStats>, ks: ReadonlyArray<number>, options: StatsMetricsOptions): MetricRow[] {
  const n = problems.reduce((smallest, stats) => Math.min(smallest, stats.samples), Number.POSITIVE_INFINITY);
  const valid: number[] = [];
  for (const k of [...new Set(ks)].sort((a, b) => a - b)) {
    if (k <= n) {
      valid.push(k);
      continue;
    }
    const short = problems.filter((stats) => stats.samples < k).map((stats) => stats.problem);
    const listed = short.slice(0, 10);
    const more = short.length > listed.length ? ` and ${short.length - listed.length} more` : '';
    options.onSkippedK({ k, n, problems: listed, reason: `k = ${k} > n = ${n} (problem ${listed.join(', ')}${more})` });
  }
  // Problem-major: each problem's answer classes are built once for every k, then dropped.
  const coverage = valid.map(() => new Float64Array(problems.length));
  const majority = valid.map(() => new Float64Array(problems.length));
  const allCorrect = valid.map(() => new Float64Array(problems.length));
  problems.forEach((stats, position) => {
    const classes = options.classes?.[position] ?? answerClassesOf(stats);
    valid.forEach((k, row) => {
      (coverage[row] as Float64Array)[position] = passAtK(stats.samples, stats.correct, k);
      (allCorrect[row] as Float64Array)[position] = passHatK(stats.samples, stats.correct, k);
      (majority[row] as Float64Array)[position] = majorityOfClasses(classes, k, { ...options.majority, seed: hashSeed(options.seed, stats.problem, k) });
    });
  });
  valid.forEach((k, row) => options.majorityOut?.set(k, majority[row] as Float64Array));
  let samples = 0;
  let completion = 0;
  let thinking = 0;
  let prompt = 0;
  for (const stats of problems) {
    samples += stats.samples;
    completion += stats.completionTokens;
    thinking += stats.thinkingTokens;
    prompt += stats.promptTokens;
  }
  const per = (total: number): number => (samples === 0 ? 0 : total / samples);
  const interval = { draws: options.bootstrapDraws, seed: options.seed };
  return valid.map((k, row) => ({
    cell,
    k,
    coverage: bootstrapInterval(Array.from(coverage[row] as Float64Array), interval),
    majority: bootstrapInterval(Array.from(majority[row] as Float64Array), interval),
    passHatK: bootstrapInterval(Array.from(allCorrect[row] as Float64Array), interval),
    n,
    problems: problems.length,
    meanCompletionTokens: per(completion),
    meanThinkingTokens: per(thinking),
    meanPromptTokens: per(prompt),
  }));
}

/**
 * A problem's answer classes in the shape majority@k takes: classes in order of their keys, and a
 * class per sample laid out class by class (majority@k does not depend on the samples' order).
 */
export function answerClassesOf(stats: ProblemStats): AnswerClasses {
  const keys = [...stats.classes.keys()].sort();
  const sizes = keys.map((key) => (stats.classes.get(key) as [number, number])[0]);
  const correctCounts = keys.map((key) => (stats.classes.get(key) as [number, number])[1]);
  const classOfSample = new Int32Array(stats.samples).fill(-1);
  let at = 0;
  sizes.forEach((size, index) => {
    classOfSample.fill(index, at, at + size);
    at += size;
  });
  return { keys, sizes, correctCounts, values: sizes.map((size, index) => (correctCounts[index] ?? 0) / size), noAnswer: stats.noAnswer, classOfSample };
}

/**
 * Expected compute per problem at each row's k (as computeCurves): each problem's mean compute per
 * sample, then the mean over problems. FLOPs use the formula's linearity in (tokens, context sum).
 */
export function computePointsFromStats(cell: CellInfo, problems: ReadonlyArray<ProblemStats>, rows: ReadonlyArray<MetricRow>, cost: ComputeCost): ComputePoint[] {
  const { architecture, priceInputPerMTok, priceOutputPerMTok } = cost;
  const priced = priceInputPerMTok !== undefined && priceOutputPerMTok !== undefined;
  // flopsOfTokenRange(m, first) = perToken·m + perContext·(m·first + m(m−1)/2).
  const perToken = architecture ? flopsOfTokenRange(architecture, 0, 1) : 0;
  const perContext = architecture ? flopsOfTokenRange(architecture, 1, 1) - perToken : 0;
  let tokenSum = 0;
  let flopSum = 0;
  let dollarSum = 0;
  for (const stats of problems) {
    // The prompt is shared by a request of the problem's nominal (largest) size, as perSampleCompute.
    const sharedPrompt = stats.promptTokens / stats.largestRequest;
    const sharedContext = stats.promptContext / stats.largestRequest;
    tokenSum += (stats.completionTokens + sharedPrompt) / stats.samples;
    flopSum += (perToken * (sharedPrompt + stats.completionTokens) + perContext * (sharedContext + stats.decodeContext)) / stats.samples;
    if (priced) dollarSum += (sharedPrompt * priceInputPerMTok + stats.completionTokens * priceOutputPerMTok) / 1e6 / stats.samples;
  }
  const mean = (sum: number): number => (problems.length === 0 ? 0 : sum / problems.length);
  return rows.map((row) => ({
    cell,
    k: row.k,
    tokens: row.k * mean(tokenSum),
    flops: architecture === undefined ? null : row.k * mean(flopSum),
    dollars: priced ? row.k * mean(dollarSum) : null,
    coverage: row.coverage.value,
    majority: row.majority.value,
  }));
}

/** Histogram of solve rates c/n over `bins` equal bins (as solveRateHistogram). */
export function solveRatesFromStats(problems: ReadonlyArray<ProblemStats>, bins = 10): SolveRateBin[] {
  const histogram: SolveRateBin[] = Array.from({ length: bins }, (_, index) => ({ low: index / bins, high: (index + 1) / bins, count: 0 }));
  for (const stats of problems) {
    const entry = histogram[Math.min(bins - 1, Math.floor((stats.correct * bins) / stats.samples))];
    if (entry) entry.count += 1;
  }
  return histogram;
}
