/** Per-problem statistics of one cell: the rows of problems.csv and the per-problem comparison. */
import { answerClasses, type AnswerClasses } from './answer-classes.ts';
import type { MetricRow, ProblemSamples } from './types.ts';

/** What one problem's samples in one cell say. */
export interface ProblemStat {
  /** Problem id. */
  problem: string;
  /** Checked samples of the problem (errors excluded). */
  samples: number;
  /** Correct samples. */
  correct: number;
  /** Distinct answer classes among the samples (samples without an answer not counted). */
  distinctAnswers: number;
  /** Samples with no extractable answer. */
  noAnswer: number;
  /**
   * Whether the most frequent answer class is correct: 1 or 0, or the expected value of a uniform
   * tie-break when several classes tie (0.5 for a right and a wrong class). Null when the samples
   * have no answer classes (programs, or no answer extracted at all).
   */
  majorityCorrect: number | null;
}

/** The statistics of one problem from its counts and its answer classes. */
export function problemStatOf(problem: string, samples: number, correct: number, classes: AnswerClasses): ProblemStat {
  const largest = Math.max(0, ...classes.sizes);
  const tied = classes.sizes.flatMap((size, index) => (size === largest && largest > 0 ? [index] : []));
  const majorityCorrect = tied.length === 0 ? null : tied.reduce((sum, index) => sum + (classes.values[index] ?? 0), 0) / tied.length;
  return { problem, samples, correct, distinctAnswers: classes.keys.length, noAnswer: classes.noAnswer, majorityCorrect };
}

/** The statistics of each problem, in the order given. */
export function problemStats(problems: ReadonlyArray<ProblemSamples>): ProblemStat[] {
  return problems.map((entry) => problemStatOf(entry.problem, entry.correct.length, entry.correct.filter(Boolean).length, answerClasses(entry.answerKeys, entry.correct)));
}

/** Whether any sample of the cell has an answer class: without one, a majority vote has nothing to count (programs). */
export function hasAnswerClasses(problems: ReadonlyArray<ProblemSamples>): boolean {
  return problems.some((problem) => problem.answerKeys.some((key) => key !== null));
}

/**
 * The rows with majority@k marked not applicable (NaN, written `n/a`) when the cell's samples have
 * no answer classes (`hasClasses` false): code is checked by running it, and programs are not
 * grouped into answers, so a vote would count nothing and read 0%.
 */
export function withMajorityApplicability(rows: MetricRow[], hasClasses: boolean): MetricRow[] {
  if (hasClasses) return rows;
  return rows.map((row) => ({ ...row, majority: { value: Number.NaN, low: Number.NaN, high: Number.NaN } }));
}
