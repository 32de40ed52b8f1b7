import { MetricsError, requireInteger } from './metrics-error.ts';

/** One difficulty bin. */
export interface DifficultyBin {
  /** Bin number, 1 = easiest … `bins` = hardest (Snell et al. 2024 number them the same way). */
  bin: number;
  /** Problems in the bin (0 when ties left it empty). */
  problems: number;
  /** Highest solve rate in the bin (its easiest problem); NaN when empty. */
  highest: number;
  /** Lowest solve rate in the bin (its hardest problem); NaN when empty. */
  lowest: number;
}

/** Problems binned by difficulty. */
export interface DifficultyBinning {
  /** Bin number (1..bins) per problem, in the order the solve rates were given. */
  binOf: number[];
  /** The bins, easiest first. */
  bins: DifficultyBin[];
}

/**
 * Quantile bins of difficulty: problems ranked from the highest solve rate (easiest) to the lowest
 * and cut into `bins` groups of (nearly) equal size, bin 1 the easiest. The solve rate is what the
 * caller measures difficulty by: oracle pass@1 (correct ÷ samples) or a predicted score.
 *
 * Ties are deterministic and never split: problems with equal solve rates share one bin, the bin
 * of their mean rank (a problem at rank r of N, counting from 0, goes to bin ⌊(r + ½)·bins/N⌋ + 1),
 * so the result depends only on the values, not on their order. With many ties (every unsolved
 * problem at 0) some bins hold more problems than others and some may be empty.
 *
 * @param solveRates one finite value per problem, higher = easier
 * @param bins number of bins (integer >= 1). Default 5.
 * @throws MetricsError `METRIC_INVALID_ARGUMENT` for a non-finite solve rate or a bad bin count
 */
export function difficultyBins(solveRates: ReadonlyArray<number>, bins = 5): DifficultyBinning {
  requireInteger('bins', bins, 1);
  const bad = solveRates.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    throw new MetricsError('METRIC_INVALID_ARGUMENT', `solve rate of problem ${bad} is ${String(solveRates[bad])}`, {
      hint: 'Give every problem a finite solve rate (a problem without samples or scores should be left out).',
    });
  }
  const count = solveRates.length;
  const order = solveRates.map((_, index) => index).sort((left, right) => (solveRates[right] ?? 0) - (solveRates[left] ?? 0));
  const binOf = new Array<number>(count).fill(1);
  let start = 0;
  while (start < count) {
    const value = solveRates[order[start] ?? 0];
    let end = start;
    while (end < count && solveRates[order[end] ?? 0] === value) end += 1;
    const meanRank = (start + end - 1) / 2;
    const bin = Math.min(bins, Math.floor(((meanRank + 0.5) * bins) / count) + 1);
    for (let position = start; position < end; position += 1) binOf[order[position] ?? 0] = bin;
    start = end;
  }
  const summary: DifficultyBin[] = Array.from({ length: bins }, (_, index) => ({ bin: index + 1, problems: 0, highest: Number.NaN, lowest: Number.NaN }));
  binOf.forEach((bin, problem) => {
    const entry = summary[bin - 1];
    const value = solveRates[problem] ?? 0;
    if (entry === undefined) return;
    entry.problems += 1;
    entry.highest = entry.problems === 1 ? value : Math.max(entry.highest, value);
    entry.lowest = entry.problems === 1 ? value : Math.min(entry.lowest, value);
  });
  return { binOf, bins: summary };
}
