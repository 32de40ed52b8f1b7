import { createRandom } from '../core/random.ts';
import { MetricsError, requireInteger } from './metrics-error.ts';
import type { Estimate } from './types.ts';

/** Options of `bootstrapInterval`. */
export interface BootstrapOptions {
  /** Bootstrap resamples (each: as many problems as given, drawn with replacement). */
  draws: number;
  /** Seed of the resampling; the same seed and values give the same interval. */
  seed: number;
  /** Coverage of the interval, in (0, 1). Default 0.95. */
  confidence?: number;
}

/**
 * Percentile bootstrap over problems: the mean of `perProblem` and the (1−confidence)/2 and
 * (1+confidence)/2 quantiles (linear interpolation between order statistics) of the means of
 * `draws` resamples of the problems with replacement. Resampling is driven only by the number of
 * problems and the seed, so two metrics of the same problems resampled with the same seed use the
 * same resamples (their bands are paired).
 *
 * @param perProblem one value per problem (e.g. pass@k of each problem)
 * @returns the mean with its interval; a single problem gives a zero-width interval
 * @throws MetricsError `METRIC_NO_PROBLEMS` when `perProblem` is empty
 */
export function bootstrapInterval(perProblem: ReadonlyArray<number>, options: BootstrapOptions): Estimate {
  const count = perProblem.length;
  if (count === 0) {
    throw new MetricsError('METRIC_NO_PROBLEMS', 'cannot bootstrap a metric over 0 problems', {
      hint: 'Check that the cell has problems with at least one successful sample.',
    });
  }
  requireInteger('draws', options.draws, 1);
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) {
    throw new MetricsError('METRIC_INVALID_ARGUMENT', `confidence must be in (0, 1), got ${confidence}`, {
      hint: 'Use e.g. 0.95 for a 95% interval.',
    });
  }
  const values = Float64Array.from(perProblem);
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / count;
  const random = createRandom(options.seed);
  const means = new Float64Array(options.draws);
  for (let draw = 0; draw < options.draws; draw += 1) {
    let resampled = 0;
    for (let pick = 0; pick < count; pick += 1) resampled += values[Math.floor(random.next() * count)] ?? 0;
    means[draw] = resampled / count;
  }
  means.sort();
  return {
    value: mean,
    low: quantile(means, (1 - confidence) / 2),
    high: quantile(means, (1 + confidence) / 2),
  };
}

/** Quantile of sorted values with linear interpolation between order statistics (R's type 7). */
export function quantile(sorted: ArrayLike<number>, probability: number): number {
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const fraction = position - below;
  return (sorted[below] ?? 0) * (1 - fraction) + (sorted[above] ?? 0) * fraction;
}
