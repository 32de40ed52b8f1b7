import type { AnswerClasses } from './answer-classes.ts';
import { bootstrapInterval, type BootstrapOptions } from './bootstrap.ts';
import type { Estimate } from './types.ts';

/** The answer classes of one problem as the voting ceiling needs them: sizes and correct samples per class. */
export type ClassCounts = Pick<AnswerClasses, 'sizes' | 'correctCounts'>;

/**
 * majority@∞ of one problem, the voting ceiling: the accuracy a plurality vote reaches as the
 * number of votes grows without bound, with the problem's samples taken as the model's answer
 * distribution. The vote then goes to the most frequent answer class with probability → 1, so the
 * problem is right iff the gold answer's class is strictly the most frequent.
 *
 * - Samples with no answer never vote (they are not a class here).
 * - t classes tied for the most samples: the expected value under a uniform tie-break, each worth
 *   1/t (the measured frequencies cannot tell which of them the model prefers).
 * - A class is worth the fraction of its samples that are correct (1 or 0 when, as usual, a class
 *   is all right or all wrong), as in majority@k.
 * - No class at all (no sample stated an answer): 0.
 *
 * Equal to majority@n (the vote over all n samples); majority@k approaches it as k grows.
 *
 * @returns expected accuracy in [0, 1]
 */
export function majorityCeiling(classes: ClassCounts): number {
  let best = 0;
  let tied = 0;
  let valueSum = 0;
  classes.sizes.forEach((size, index) => {
    if (size <= 0 || size < best) return;
    if (size > best) {
      best = size;
      tied = 0;
      valueSum = 0;
    }
    tied += 1;
    valueSum += (classes.correctCounts[index] ?? 0) / size;
  });
  return tied === 0 ? 0 : valueSum / tied;
}

/**
 * majority@∞ of a cell: `majorityCeiling` averaged over its problems, with a percentile-bootstrap
 * interval over problems (see `bootstrapInterval`: stated draws and seed).
 *
 * @throws MetricsError `METRIC_NO_PROBLEMS` when `problems` is empty
 */
export function cellMajorityCeiling(problems: ReadonlyArray<ClassCounts>, options: BootstrapOptions): Estimate {
  return bootstrapInterval(
    problems.map((classes) => majorityCeiling(classes)),
    options,
  );
}
