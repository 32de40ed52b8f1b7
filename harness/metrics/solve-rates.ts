import { requireInteger } from './metrics-error.ts';
import type { ProblemSamples } from './types.ts';

/** One bin of the solve-rate histogram. */
export interface SolveRateBin {
  /** Lower edge of the bin (solve rate, inclusive). */
  low: number;
  /** Upper edge (exclusive, except the last bin, which includes 1). */
  high: number;
  /** Problems whose solve rate c/n falls in the bin. */
  count: number;
}

/**
 * Histogram of per-problem solve rates c/n (correct samples ÷ samples) over `bins` equal bins of
 * [0, 1] (default 10). A problem without samples has no solve rate and is not counted.
 */
export function solveRateHistogram(problems: ReadonlyArray<ProblemSamples>, bins = 10): SolveRateBin[] {
  requireInteger('bins', bins, 1);
  const histogram: SolveRateBin[] = Array.from({ length: bins }, (_, index) => ({ low: index / bins, high: (index + 1) / bins, count: 0 }));
  for (const problem of problems) {
    const samples = problem.correct.length;
    if (samples === 0) continue;
    let correct = 0;
    for (const value of problem.correct) if (value) correct += 1;
    // Integer arithmetic keeps c/n exactly on the bin edges it belongs to.
    const bin = Math.min(bins - 1, Math.floor((correct * bins) / samples));
    const entry = histogram[bin];
    if (entry !== undefined) entry.count += 1;
  }
  return histogram;
}
