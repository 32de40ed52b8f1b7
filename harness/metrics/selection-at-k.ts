import { createRandom } from '../core/random.ts';
import { answerClasses } from './answer-classes.ts';
import { kExceedsNError, MetricsError, requireInteger, requireSameLength } from './metrics-error.ts';
import { logChoose } from '../core/special-functions.ts';

/**
 * best-of-k by score of one problem: the expected accuracy of picking the highest-scoring of k
 * samples drawn uniformly without replacement from the n (scores from a reward model or a
 * verifier); equal top scores are broken uniformly at random. Exact: with the samples grouped by
 * score, the pick falls in a group with A samples scored above it and g in it with probability
 * [C(n−A, k) − C(n−A−g, k)] / C(n, k), and is then right with the group's fraction of correct
 * samples.
 *
 * @param scores score per sample (higher is better; finite or ±Infinity, not NaN)
 * @param correct correctness per sample, same order
 * @param k samples per pick (integer, 1..n)
 * @returns expected accuracy in [0, 1]
 * @throws MetricsError `K_EXCEEDS_N` when k > n; `METRIC_INVALID_ARGUMENT` for a NaN score
 */
export function bestOfKAtK(scores: ReadonlyArray<number>, correct: ReadonlyArray<boolean>, k: number): number {
  requireSameLength(['scores', 'correct'], [scores, correct]);
  const n = scores.length;
  requireInteger('n (samples)', n, 1);
  if (Number.isInteger(k) && k > n) throw kExceedsNError(k, n);
  requireInteger('k', k, 1, n);
  requireScores(scores);
  const order = scores.map((score, index) => ({ score, correct: correct[index] === true }));
  order.sort((left, right) => right.score - left.score);
  // share[a] = C(a, k) / C(n, k): the probability that all k draws avoid the n − a samples excluded.
  const share = new Float64Array(n + 1);
  share[n] = 1;
  for (let a = n; a > k; a -= 1) share[a - 1] = (share[a] ?? 0) * ((a - k) / a);
  let expected = 0;
  let above = 0;
  while (above < n) {
    const score = order[above]?.score;
    let end = above;
    let groupCorrect = 0;
    while (end < n && order[end]?.score === score) {
      if (order[end]?.correct === true) groupCorrect += 1;
      end += 1;
    }
    const size = end - above;
    const pickedHere = (share[n - above] ?? 0) - (share[n - above - size] ?? 0);
    expected += pickedHere * (groupCorrect / size);
    above = end;
  }
  return Math.min(1, Math.max(0, expected));
}

/** Options of `weightedMajorityAtK`. */
export interface WeightedMajorityOptions {
  /** Random k-subsets drawn when exact enumeration is too costly. */
  draws: number;
  /** Seed of the draws. */
  seed: number;
}

/**
 * Score-weighted majority@k of one problem: over k samples drawn uniformly without replacement,
 * each answer class (null = no answer, never votes) gets the sum of its drawn samples' scores; the
 * class with the largest sum wins, equal sums (to 1e-12 relative) broken uniformly at random
 * (counted as the expected value), and the winner is right with the fraction of its drawn samples
 * that are correct. With no answer among the k the vote counts as wrong. Scores are summed as
 * given: use probabilities (not logits) so that more votes never lower a class.
 * Exact (every k-subset enumerated) when C(n, k) <= `draws`, otherwise the mean over `draws`
 * random k-subsets (seeded).
 *
 * @throws MetricsError `K_EXCEEDS_N` when k > n
 */
export function weightedMajorityAtK(
  answerKeys: ReadonlyArray<string | null>,
  scores: ReadonlyArray<number>,
  correct: ReadonlyArray<boolean>,
  k: number,
  options: WeightedMajorityOptions,
): number {
  requireSameLength(['answerKeys', 'scores', 'correct'], [answerKeys, scores, correct]);
  const n = answerKeys.length;
  requireInteger('n (samples)', n, 1);
  if (Number.isInteger(k) && k > n) throw kExceedsNError(k, n);
  requireInteger('k', k, 1, n);
  requireInteger('draws', options.draws, 1);
  requireScores(scores);
  const classes = answerClasses(answerKeys, correct);
  const classCount = classes.sizes.length;
  if (classCount === 0) return 0;
  const scoreSums = new Float64Array(classCount);
  const drawnCounts = new Int32Array(classCount);
  const drawnCorrect = new Int32Array(classCount);
  const voteOf = (subset: ArrayLike<number>): number => {
    scoreSums.fill(0);
    drawnCounts.fill(0);
    drawnCorrect.fill(0);
    for (let position = 0; position < k; position += 1) {
      const sample = subset[position] ?? 0;
      const index = classes.classOfSample[sample] ?? -1;
      if (index < 0) continue;
      scoreSums[index] = (scoreSums[index] ?? 0) + (scores[sample] ?? 0);
      drawnCounts[index] = (drawnCounts[index] ?? 0) + 1;
      if (correct[sample] === true) drawnCorrect[index] = (drawnCorrect[index] ?? 0) + 1;
    }
    let best = Number.NEGATIVE_INFINITY;
    for (let index = 0; index < classCount; index += 1) {
      if ((drawnCounts[index] ?? 0) > 0) best = Math.max(best, scoreSums[index] ?? 0);
    }
    if (best === Number.NEGATIVE_INFINITY) return 0;
    const tolerance = 1e-12 * Math.max(1, Math.abs(best));
    let tied = 0;
    let valueSum = 0;
    for (let index = 0; index < classCount; index += 1) {
      const count = drawnCounts[index] ?? 0;
      if (count === 0 || best - (scoreSums[index] ?? 0) > tolerance) continue;
      tied += 1;
      valueSum += (drawnCorrect[index] ?? 0) / count;
    }
    return valueSum / tied;
  };
  if (logChoose(n, k) <= Math.log(options.draws) + 1e-9) {
    // Few enough subsets: enumerate them all in lexicographic order.
    const subset = Int32Array.from({ length: k }, (_, index) => index);
    let total = 0;
    let subsets = 0;
    for (;;) {
      total += voteOf(subset);
      subsets += 1;
      let position = k - 1;
      while (position >= 0 && (subset[position] ?? 0) === n - k + position) position -= 1;
      if (position < 0) break;
      subset[position] = (subset[position] ?? 0) + 1;
      for (let next = position + 1; next < k; next += 1) subset[next] = (subset[next - 1] ?? 0) + 1;
    }
    return total / subsets;
  }
  const random = createRandom(options.seed);
  const order = Int32Array.from({ length: n }, (_, index) => index);
  let total = 0;
  for (let draw = 0; draw < options.draws; draw += 1) {
    for (let position = 0; position < k; position += 1) {
      const swap = position + Math.floor(random.next() * (n - position));
      const chosen = order[swap] ?? 0;
      order[swap] = order[position] ?? 0;
      order[position] = chosen;
    }
    total += voteOf(order);
  }
  return total / options.draws;
}

function requireScores(scores: ReadonlyArray<number>): void {
  const bad = scores.findIndex((score) => Number.isNaN(score));
  if (bad >= 0) {
    throw new MetricsError('METRIC_INVALID_ARGUMENT', `score of sample ${bad} is NaN`, {
      hint: 'Give every sample a numeric score (a failed scoring call should be retried or the sample left out).',
    });
  }
}
